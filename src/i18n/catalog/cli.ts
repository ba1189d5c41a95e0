import type { Section } from './types.js';

/** Texts of src/cli: usage errors, network errors shared by every command, program descriptions. */
export const cli: Section = {
  'cli.description': {
    en: 'tomada: the socket tutorials made real (hello, echo, concurrency models, chat server with line, IRC and web doors)',
    'pt-BR':
      'tomada: os tutoriais de sockets feitos de verdade (hello, echo, modelos de concorrência, servidor de chat com entradas de linha, IRC e web)',
  },
  'cli.opt.lang': {
    en: 'language of messages: en or pt-BR (default: from LANG)',
    'pt-BR': 'idioma das mensagens: en ou pt-BR (padrão: de LANG)',
  },
  'cli.help.usage': { en: 'Usage:', 'pt-BR': 'Uso:' },
  'cli.help.options': { en: 'Options:', 'pt-BR': 'Opções:' },
  'cli.help.commands': { en: 'Commands:', 'pt-BR': 'Comandos:' },
  'cli.help.arguments': { en: 'Arguments:', 'pt-BR': 'Argumentos:' },
  'cli.help.globalOptions': { en: 'Global Options:', 'pt-BR': 'Opções globais:' },
  'cli.help.choices': { en: 'choices:', 'pt-BR': 'valores:' },
  'cli.help.default': { en: 'default:', 'pt-BR': 'padrão:' },
  'cli.help.preset': { en: 'preset:', 'pt-BR': 'predefinido:' },
  'cli.help.env': { en: 'env:', 'pt-BR': 'variável:' },
  'cli.help.helpOption': { en: 'display help for command', 'pt-BR': 'mostra a ajuda do comando' },
  'cli.help.helpCommand': { en: 'display help for command', 'pt-BR': 'mostra a ajuda de um comando' },
  'cli.help.versionOption': { en: 'output the version number', 'pt-BR': 'mostra o número da versão' },
  // Placeholder words in flags and usage lines (`--config <file>`, `[options]`): words typed as they are
  // (`off`, `host`, `ms`, `n`) have no entry.
  'cli.term.options': { en: 'options', 'pt-BR': 'opções' },
  'cli.term.command': { en: 'command', 'pt-BR': 'comando' },
  'cli.term.address': { en: 'address', 'pt-BR': 'endereço' },
  'cli.term.lang': { en: 'lang', 'pt-BR': 'idioma' },
  'cli.term.file': { en: 'file', 'pt-BR': 'arquivo' },
  'cli.term.port': { en: 'port', 'pt-BR': 'porta' },
  'cli.term.room': { en: 'room', 'pt-BR': 'sala' },
  'cli.term.name': { en: 'name', 'pt-BR': 'nome' },
  'cli.term.pass': { en: 'pass', 'pt-BR': 'senha' },
  'cli.term.password': { en: 'password', 'pt-BR': 'senha' },
  'cli.term.origin': { en: 'origin', 'pt-BR': 'origem' },
  'cli.term.secs': { en: 'secs', 'pt-BR': 'segs' },
  'cli.term.lines': { en: 'lines', 'pt-BR': 'linhas' },
  'cli.term.level': { en: 'level', 'pt-BR': 'nível' },
  'cli.term.model': { en: 'model', 'pt-BR': 'modelo' },
  'cli.term.mode': { en: 'mode', 'pt-BR': 'modo' },
  'cli.term.text': { en: 'text', 'pt-BR': 'texto' },
  'cli.term.list': { en: 'list', 'pt-BR': 'lista' },
  'cli.usage.unknownCommand': {
    en: "unknown command '{name}' (tomada --help lists them)",
    'pt-BR': "comando desconhecido '{name}' (tomada --help lista os comandos)",
  },
  'cli.usage.unknownOption': {
    en: "unknown option '{name}' (--help lists the options)",
    'pt-BR': "opção desconhecida '{name}' (--help lista as opções)",
  },
  'cli.usage.missingArgument': {
    en: "missing required argument '{name}'",
    'pt-BR': "falta o argumento obrigatório '{name}'",
  },
  'cli.usage.optionMissingArgument': {
    en: "option '{name}' needs a value",
    'pt-BR': "a opção '{name}' precisa de um valor",
  },
  'cli.usage.tooManyArguments': {
    en: "too many arguments for '{name}'",
    'pt-BR': "argumentos demais para '{name}'",
  },
  'cli.usage.requiredOption': {
    en: "option '{name}' is required",
    'pt-BR': "a opção '{name}' é obrigatória",
  },
  'cli.usage.badValue': {
    en: "invalid value '{value}' for '{flag}' {detail}",
    'pt-BR': "valor inválido '{value}' para '{flag}' {detail}",
  },
  'cli.usage.didYouMean': { en: '(did you mean {name}?)', 'pt-BR': '(você quis dizer {name}?)' },
  'cli.usage.badPort': {
    en: 'invalid port "{value}" in "{what}": expected a number from 0 to 65535',
    'pt-BR': 'porta inválida "{value}" em "{what}": esperado um número de 0 a 65535',
  },
  'cli.usage.badAddress': {
    en: 'invalid address "{value}": expected [HOST:]PORT',
    'pt-BR': 'endereço inválido "{value}": esperado [HOST:]PORTA',
  },
  'cli.usage.notInteger': {
    en: '{flag} expects a whole number, got "{value}"',
    'pt-BR': '{flag} espera um número inteiro, recebeu "{value}"',
  },
  'cli.usage.outOfRange': {
    en: '{flag} must be between {min} and {max}, got {value}',
    'pt-BR': '{flag} deve estar entre {min} e {max}, recebeu {value}',
  },
  'cli.usage.badLang': {
    en: 'unknown language "{value}": use en or pt-BR',
    'pt-BR': 'idioma desconhecido "{value}": use en ou pt-BR',
  },
  'cli.usage.badChoice': {
    en: '{flag} must be one of {choices}, got "{value}"',
    'pt-BR': '{flag} deve ser um de {choices}, recebeu "{value}"',
  },
  'cli.usage.conflict': {
    en: '{a} cannot be used with {b}',
    'pt-BR': '{a} não pode ser usado com {b}',
  },
  'cli.error.prefix': { en: 'error', 'pt-BR': 'erro' },
  'cli.error.addrInUse': {
    en: 'port {port} on {host} is already in use: another server may be running there; stop it or choose another {flag}',
    'pt-BR':
      'a porta {port} em {host} já está em uso: outro servidor pode estar rodando nela; pare-o ou use outro valor em {flag}',
  },
  'cli.error.addrNotAvail': {
    en: 'cannot listen on {host}: that address is not on this machine; use localhost, 0.0.0.0 or one of its addresses',
    'pt-BR':
      'não é possível escutar em {host}: esse endereço não é desta máquina; use localhost, 0.0.0.0 ou um dos endereços dela',
  },
  'cli.error.access': {
    en: 'not allowed to listen on port {port}: ports below 1024 need privileges; choose a port of 1024 or more',
    'pt-BR':
      'sem permissão para escutar na porta {port}: portas abaixo de 1024 exigem privilégios; escolha uma porta de 1024 ou mais',
  },
  'cli.error.refused': {
    en: 'connection refused by {host}:{port}: is the server running? check the address and port',
    'pt-BR': 'conexão recusada por {host}:{port}: o servidor está rodando? confira o endereço e a porta',
  },
  'cli.error.dns': {
    en: 'cannot resolve host "{host}": check the name (or use an IP address such as 127.0.0.1)',
    'pt-BR': 'não foi possível resolver o host "{host}": confira o nome (ou use um endereço IP como 127.0.0.1)',
  },
  'cli.error.connectTimeout': {
    en: 'no connection to {host}:{port} after {ms} ms: the host may be down or a firewall drops packets; raise --timeout to wait longer',
    'pt-BR':
      'sem conexão com {host}:{port} após {ms} ms: o host pode estar fora do ar ou um firewall descarta pacotes; aumente --timeout para esperar mais',
  },
  'cli.error.readTimeout': {
    en: 'no answer from the server after {ms} ms; raise --timeout to wait longer',
    'pt-BR': 'sem resposta do servidor após {ms} ms; aumente --timeout para esperar mais',
  },
  'cli.error.noReply': {
    en: 'no reply from {host}:{port} within {ms} ms: UDP does not promise delivery (the datagram or its answer may be lost, or no server is there); try again or raise --timeout',
    'pt-BR':
      'sem resposta de {host}:{port} em {ms} ms: UDP não garante entrega (o datagrama ou a resposta podem ter se perdido, ou não há servidor); tente de novo ou aumente --timeout',
  },
  'cli.error.reset': {
    en: 'the connection was reset by the peer (it closed abruptly)',
    'pt-BR': 'a conexão foi reiniciada pelo outro lado (fechou abruptamente)',
  },
  'cli.error.brokenPipe': {
    en: 'broken pipe: the peer disconnected before everything was sent',
    'pt-BR': 'broken pipe: o outro lado desconectou antes de tudo ser enviado',
  },
  'cli.error.peerClosed': {
    en: 'the server closed the connection',
    'pt-BR': 'o servidor fechou a conexão',
  },
  'cli.error.unreachable': {
    en: 'network unreachable for {host}: check the address and your connection',
    'pt-BR': 'rede inacessível para {host}: confira o endereço e sua conexão',
  },
  'cli.error.config': { en: 'configuration error: {message}', 'pt-BR': 'erro de configuração: {message}' },
  'cli.error.unexpected': {
    en: 'unexpected error: {message}',
    'pt-BR': 'erro inesperado: {message}',
  },
};

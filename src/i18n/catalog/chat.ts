import type { Section } from './types.js';

/**
 * Texts of the chat server and the terminal client (`chat.`). The tutorial's own wire strings
 * (`APELIDO`, `Conectado ao servidor!`, `… entrou no chat!`, `… saiu do chat!`) are not here: they never
 * change with the language.
 */
export const chat: Section = {
  // nick problems (line door answers before sending APELIDO again)
  'chat.nick.inUse': {
    en: 'The nickname {nick} is taken, choose another.',
    'pt-BR': 'O apelido {nick} já está em uso, escolha outro.',
  },
  'chat.nick.empty': { en: 'The nickname is empty.', 'pt-BR': 'O apelido está vazio.' },
  'chat.nick.tooLong': {
    en: 'The nickname {nick} is too long (at most {max} characters).',
    'pt-BR': 'O apelido {nick} é longo demais (no máximo {max} caracteres).',
  },
  'chat.nick.badStart': {
    en: 'The nickname {nick} may not start with a digit, "-", "#", ":" or "&".',
    'pt-BR': 'O apelido {nick} não pode começar com dígito, "-", "#", ":" ou "&".',
  },
  'chat.nick.badChars': {
    en: 'The nickname {nick} has characters that are not allowed (use letters, digits and _-[]\\`^{}|).',
    'pt-BR': 'O apelido {nick} tem caracteres não permitidos (use letras, dígitos e _-[]\\`^{}|).',
  },
  'chat.password.required': {
    en: 'This server asks for a password: answer the nickname prompt with "<nickname> <password>".',
    'pt-BR': 'Este servidor pede senha: responda ao pedido de apelido com "<apelido> <senha>".',
  },
  'chat.password.bad': { en: 'Wrong password.', 'pt-BR': 'Senha errada.' },
  'chat.nick.tooManyTries': {
    en: 'Too many nickname attempts; closing.',
    'pt-BR': 'Tentativas demais de apelido; encerrando.',
  },
  'chat.nick.changed': { en: '* {old} is now {nick}', 'pt-BR': '* {old} agora é {nick}' },
  // room problems
  'chat.room.invalid': {
    en: '! Invalid room name {room} (it starts with # and has no spaces or commas).',
    'pt-BR': '! Nome de sala inválido {room} (começa com # e não tem espaços nem vírgulas).',
  },
  'chat.room.none': {
    en: '! You are not in a room: /join #room',
    'pt-BR': '! Você não está em nenhuma sala: /join #sala',
  },
  'chat.room.noSuch': { en: '! There is no room {room}.', 'pt-BR': '! Não existe a sala {room}.' },
  'chat.room.banned': { en: '! You are banned from {room}.', 'pt-BR': '! Você está banido de {room}.' },
  'chat.room.inviteOnly': { en: '! {room} is invite-only.', 'pt-BR': '! {room} é só para convidados.' },
  'chat.room.badKey': {
    en: '! {room} needs a key: /join {room} KEY',
    'pt-BR': '! {room} exige uma chave: /join {room} CHAVE',
  },
  'chat.room.full': { en: '! {room} is full.', 'pt-BR': '! {room} está cheia.' },
  'chat.room.cannotSend': {
    en: '! You cannot speak in {room} (moderated or banned).',
    'pt-BR': '! Você não pode falar em {room} (moderada ou banido).',
  },
  'chat.room.notOp': { en: '! You are not an operator of {room}.', 'pt-BR': '! Você não é operador de {room}.' },
  'chat.room.tooMany': { en: '! You are in too many rooms.', 'pt-BR': '! Você está em salas demais.' },
  'chat.room.already': { en: '! You are already in {room}.', 'pt-BR': '! Você já está em {room}.' },
  'chat.noSuchNick': { en: '! There is no user {nick}.', 'pt-BR': '! Não existe o usuário {nick}.' },
  'chat.room.notStored': {
    en: '! Not sent: the message to {room} could not be stored (history unavailable). Try again.',
    'pt-BR': '! Não enviada: a mensagem para {room} não pôde ser guardada (histórico indisponível). Tente de novo.',
  },
  'chat.history.unavailable': {
    en: '! The history of {room} is unavailable right now.',
    'pt-BR': '! O histórico de {room} está indisponível no momento.',
  },
  'chat.error.generic': { en: '! Could not do that: {reason}', 'pt-BR': '! Não foi possível: {reason}' },
  // info lines
  'chat.joined': {
    en: '* You are in {room} ({count} online). Type /help for commands.',
    'pt-BR': '* Você está em {room} ({count} online). Digite /help para ver os comandos.',
  },
  'chat.left': { en: '* You left {room}.', 'pt-BR': '* Você saiu de {room}.' },
  'chat.topic': { en: '* Topic of {room}: {topic}', 'pt-BR': '* Tópico de {room}: {topic}' },
  'chat.topic.none': { en: '* {room} has no topic.', 'pt-BR': '* {room} não tem tópico.' },
  'chat.topic.set': {
    en: '* {nick} set the topic of {room} to: {topic}',
    'pt-BR': '* {nick} mudou o tópico de {room} para: {topic}',
  },
  'chat.room.renamed': {
    en: '* {nick} renamed {old} to {room} {reason}',
    'pt-BR': '* {nick} renomeou {old} para {room} {reason}',
  },
  'chat.topic.cleared': { en: '* {nick} cleared the topic of {room}', 'pt-BR': '* {nick} apagou o tópico de {room}' },
  'chat.kicked': {
    en: '* {target} was kicked from {room} by {nick} ({reason})',
    'pt-BR': '* {target} foi expulso de {room} por {nick} ({reason})',
  },
  'chat.mode': { en: '* {nick} set mode {modes} on {room}', 'pt-BR': '* {nick} definiu o modo {modes} em {room}' },
  'chat.invited': {
    en: '* {nick} invites you to {room}: /join {room}',
    'pt-BR': '* {nick} convida você para {room}: /join {room}',
  },
  'chat.invite.sent': { en: '* Invited {nick} to {room}.', 'pt-BR': '* {nick} foi convidado para {room}.' },
  'chat.private': { en: '(private) {nick}: {text}', 'pt-BR': '(privado) {nick}: {text}' },
  'chat.rooms.header': { en: '* Rooms:', 'pt-BR': '* Salas:' },
  'chat.rooms.item': { en: '*   {room} ({count}) {topic}', 'pt-BR': '*   {room} ({count}) {topic}' },
  'chat.rooms.empty': { en: '* No rooms.', 'pt-BR': '* Nenhuma sala.' },
  'chat.who': { en: '* In {room} ({count}): {nicks}', 'pt-BR': '* Em {room} ({count}): {nicks}' },
  'chat.history.header': {
    en: '* Last {count} messages of {room}:',
    'pt-BR': '* Últimas {count} mensagens de {room}:',
  },
  // Read back by the terminal client on reconnecting: keep the shape `* ROOM: N … ID … ID.` in every language.
  'chat.history.after': {
    en: '* {room}: {count} message(s) after id {after}, up to id {last}.',
    'pt-BR': '* {room}: {count} mensagem(ns) após o id {after}, até o id {last}.',
  },
  'chat.reacted': {
    en: '* {nick} reacted {emoji} to a message in {room}.',
    'pt-BR': '* {nick} reagiu com {emoji} a uma mensagem em {room}.',
  },
  'chat.reactedPrivate': {
    en: '* {nick} reacted {emoji} to your message.',
    'pt-BR': '* {nick} reagiu com {emoji} à sua mensagem.',
  },
  'chat.redacted': {
    en: '* {nick} deleted a message in {room}.',
    'pt-BR': '* {nick} apagou uma mensagem em {room}.',
  },
  'chat.redactedWhy': {
    en: '* {nick} deleted a message in {room}: {reason}',
    'pt-BR': '* {nick} apagou uma mensagem em {room}: {reason}',
  },
  'chat.search.header': {
    en: '* {count} message(s) found for "{text}", oldest first:',
    'pt-BR': '* {count} mensagem(ns) encontrada(s) para "{text}", da mais antiga à mais nova:',
  },
  'chat.search.none': {
    en: '* No message found for "{text}" in your rooms.',
    'pt-BR': '* Nenhuma mensagem encontrada para "{text}" nas suas salas.',
  },
  'chat.search.empty': {
    en: '! Search for what? /search WORDS (every word must appear; "quotes" for a phrase).',
    'pt-BR': '! Buscar o quê? /search PALAVRAS (todas as palavras devem aparecer; "aspas" para uma frase).',
  },
  'chat.search.long': {
    en: '! The search is too long (at most {max} characters).',
    'pt-BR': '! A busca é longa demais (no máximo {max} caracteres).',
  },
  'chat.history.empty': { en: '* No history in {room}.', 'pt-BR': '* Sem histórico em {room}.' },
  'chat.unknownCommand': {
    en: '! Unknown command /{command}. Type /help.',
    'pt-BR': '! Comando desconhecido /{command}. Digite /help.',
  },
  'chat.usage': { en: '! Usage: {usage}', 'pt-BR': '! Uso: {usage}' },
  'chat.help': {
    en: '* Commands: /nick NAME, /join #room [key], /part, /rooms, /who, /msg NICK TEXT, /me ACTION, /topic [TEXT], /history [N], /history after ID, /search WORDS, /lang en|pt-BR, /register PASSWORD, /login PASSWORD, /register #room, /quit [reason], /help',
    'pt-BR':
      '* Comandos: /nick NOME, /join #sala [chave], /part, /rooms, /who, /msg APELIDO TEXTO, /me AÇÃO, /topic [TEXTO], /history [N], /history after ID, /search PALAVRAS, /lang en|pt-BR, /register SENHA, /login SENHA, /register #sala, /quit [motivo], /help',
  },
  'chat.lang.set': {
    en: '* Server messages are now in English.',
    'pt-BR': '* As mensagens do servidor agora estão em português.',
  },
  'chat.quit.bye': { en: '* Bye!', 'pt-BR': '* Até mais!' },
  // limits
  'chat.limit.lineTooLong': {
    en: '! Line too long (more than {max} bytes); closing.',
    'pt-BR': '! Linha longa demais (mais de {max} bytes); encerrando.',
  },
  'chat.limit.flood': {
    en: '! Too many messages too fast (flood); closing.',
    'pt-BR': '! Mensagens demais rápido demais (flood); encerrando.',
  },
  'chat.limit.slow': {
    en: '! You are not reading fast enough; closing.',
    'pt-BR': '! Você não está lendo rápido o bastante; encerrando.',
  },
  'chat.limit.total': {
    en: '! The server is full; try again later.',
    'pt-BR': '! O servidor está lotado; tente mais tarde.',
  },
  'chat.limit.perIp': {
    en: '! Too many connections from your address.',
    'pt-BR': '! Conexões demais do seu endereço.',
  },
  'chat.limit.registration': {
    en: '! No nickname given in time; closing.',
    'pt-BR': '! Nenhum apelido informado a tempo; encerrando.',
  },
  'chat.shutdown': { en: '* The server is stopping: {reason}', 'pt-BR': '* O servidor está parando: {reason}' },
  'chat.killed': { en: '* Disconnected by the server: {reason}', 'pt-BR': '* Desconectado pelo servidor: {reason}' },
  // CLI: serve
  'chat.serve.description': {
    en: 'run the chat server (line protocol, IRC and web doors on one hub)',
    'pt-BR': 'roda o servidor de chat (entradas de linha, IRC e web num só hub)',
  },
  'chat.serve.stopping': { en: 'stopping ({signal})', 'pt-BR': 'parando ({signal})' },
  'chat.serve.stopped': { en: 'stopped', 'pt-BR': 'parado' },
  // CLI: client
  'chat.connect.description': {
    en: "chat client for the tutorial protocol (tomada chat server or the tutorial's Python server)",
    'pt-BR': 'cliente de chat do protocolo do tutorial (servidor tomada ou o servidor Python do tutorial)',
  },
  'chat.client.connected': { en: '* connected to {address}', 'pt-BR': '* conectado a {address}' },
  'chat.client.dropped': { en: '* connection to {address} lost', 'pt-BR': '* conexão com {address} perdida' },
  'chat.client.closed': { en: '* the server closed the connection', 'pt-BR': '* o servidor fechou a conexão' },
  'chat.client.retry': { en: '* reconnecting in {secs} s…', 'pt-BR': '* reconectando em {secs} s…' },
  // The server's log (an operator's view). "door" is "entrada" in Portuguese: "porta" is the TCP port.
  'server.log.listening': {
    en: '{door} door listening on {host}:{port}',
    'pt-BR': 'entrada {door} escutando em {host}:{port}',
  },
  'server.log.openWeb': {
    en: 'web chat: open {url} in a browser',
    'pt-BR': 'chat na web: abra {url} no navegador',
  },
  'server.log.connection': {
    en: 'Connection from {ip}:{port} ({door} door)',
    'pt-BR': 'Conexão estabelecida com {ip}:{port} (entrada {door})',
  },
  'server.log.nick': {
    en: 'Nickname of the client: {nick} ({door} door, {host})',
    'pt-BR': 'Apelido do cliente: {nick} (entrada {door}, {host})',
  },
  'server.log.nickChange': { en: '{old} is now {nick}', 'pt-BR': '{old} agora é {nick}' },
  'server.log.join': { en: '{nick} joined {room}', 'pt-BR': '{nick} entrou em {room}' },
  'server.log.part': { en: '{nick} left {room}', 'pt-BR': '{nick} saiu de {room}' },
  'server.log.quit': { en: '{nick} disconnected ({reason})', 'pt-BR': '{nick} desconectou ({reason})' },
  'server.log.refused': {
    en: '{door}: {count} connection(s) refused ({reason})',
    'pt-BR': '{door}: {count} conexão(ões) recusada(s) ({reason})',
  },
  'server.log.outOfFds': {
    en: '{door}: out of file descriptors',
    'pt-BR': '{door}: os descritores de arquivo acabaram',
  },
  'server.log.listenerError': { en: '{door}: listener error', 'pt-BR': '{door}: erro na escuta' },
  'server.log.notSent': {
    en: '{door}: a message could not be sent',
    'pt-BR': '{door}: uma mensagem não pôde ser enviada',
  },
  'server.log.originRefused': {
    en: 'WebSocket origin refused: {origin}',
    'pt-BR': 'origem WebSocket recusada: {origin}',
  },
  'server.log.sessionError': { en: '{door}: session error', 'pt-BR': '{door}: erro na sessão' },
  'server.log.httpError': { en: 'error answering an HTTP request', 'pt-BR': 'erro ao responder a um pedido HTTP' },
  'server.log.inputFailed': { en: '{door}: input failed', 'pt-BR': '{door}: falha ao tratar a entrada' },
  'server.log.registrationFailed': { en: '{door}: registration failed', 'pt-BR': '{door}: falha no registro' },
  'server.log.commandFailed': { en: '{door}: command failed', 'pt-BR': '{door}: falha no comando' },
  'chat.client.nickRefused': {
    en: 'the server refused the nickname "{nick}": {reason}',
    'pt-BR': 'o servidor recusou o apelido "{nick}": {reason}',
  },
  'chat.client.askNick': { en: 'Choose your nickname: ', 'pt-BR': 'Escolha seu apelido: ' },
  // CLI option help
  'chat.description': {
    en: 'the chat server and its terminal client',
    'pt-BR': 'o servidor de chat e seu cliente de terminal',
  },
  'chat.opt.host': {
    en: 'address every door listens on unless given its own (default: localhost; 0.0.0.0 opens it to the network)',
    'pt-BR':
      'endereço em que cada entrada escuta, se não tiver um próprio (padrão: localhost; 0.0.0.0 abre para a rede)',
  },
  'chat.opt.config': {
    en: 'JSON file with the same settings as these flags (flags win)',
    'pt-BR': 'arquivo JSON com as mesmas configurações destas opções (as opções prevalecem)',
  },
  'chat.opt.line': {
    en: "the tutorial's chat protocol (default: 5000)",
    'pt-BR': 'o protocolo de chat do tutorial (padrão: 5000)',
  },
  'chat.opt.irc': { en: 'IRC (default: 6667)', 'pt-BR': 'IRC (padrão: 6667)' },
  'chat.opt.ircs': {
    en: 'IRC over TLS (default: 6697 when --tls-cert is set)',
    'pt-BR': 'IRC sobre TLS (padrão: 6697 quando --tls-cert é dado)',
  },
  'chat.opt.http': {
    en: 'web chat, WebSocket and metrics (default: 8080)',
    'pt-BR': 'chat web, WebSocket e métricas (padrão: 8080)',
  },
  'chat.opt.ircWs': {
    en: 'IRC over WebSocket on a listener of its own (default: off)',
    'pt-BR': 'IRC sobre WebSocket numa entrada própria (padrão: desligado)',
  },
  'chat.opt.tlsCert': {
    en: 'PEM certificate for --ircs and HTTPS (tomada cert makes one)',
    'pt-BR': 'certificado PEM para --ircs e HTTPS (tomada cert gera um)',
  },
  'chat.opt.tlsKey': { en: 'PEM private key for --tls-cert', 'pt-BR': 'chave privada PEM do --tls-cert' },
  'chat.opt.room': {
    en: 'room new users land in (default: #geral)',
    'pt-BR': 'sala onde os novos usuários entram (padrão: #geral)',
  },
  'chat.opt.dataDir': {
    en: 'where history is kept (default: ./data; :memory: keeps nothing on disk)',
    'pt-BR': 'onde o histórico fica guardado (padrão: ./data; :memory: não grava nada em disco)',
  },
  'chat.opt.store': {
    en: 'keep history in PostgreSQL instead: postgres://USER[:PASS]@HOST:PORT/DB (sslmode=… for TLS; several nodes may share it)',
    'pt-BR':
      'guardar o histórico no PostgreSQL: postgres://USUARIO[:SENHA]@HOST:PORTA/BANCO (sslmode=… para TLS; vários nós podem compartilhá-lo)',
  },
  'chat.opt.history': {
    en: "messages of a room's history shown on joining (default: 20)",
    'pt-BR': 'mensagens do histórico da sala mostradas ao entrar (padrão: 20)',
  },
  'chat.opt.serverName': {
    en: 'IRC server name (default: tomada.local)',
    'pt-BR': 'nome do servidor IRC (padrão: tomada.local)',
  },
  'chat.opt.network': { en: 'IRC network name (default: tomada)', 'pt-BR': 'nome da rede IRC (padrão: tomada)' },
  'chat.opt.password': {
    en: 'server password, asked on every door (IRC PASS, line "<nick> <password>", web hello.password)',
    'pt-BR': 'senha do servidor, pedida em todas as entradas (IRC PASS, linha "<apelido> <senha>", web hello.password)',
  },
  'chat.opt.oper': { en: 'an IRC operator (repeatable)', 'pt-BR': 'um operador IRC (repetível)' },
  'chat.opt.clientTagDeny': {
    en: 'IRC client-only tags not relayed, comma-separated (`*` all, `-name` an exception; CLIENTTAGDENY)',
    'pt-BR':
      'tags de cliente IRC não repassadas, separadas por vírgula (`*` todas, `-nome` uma exceção; CLIENTTAGDENY)',
  },
  'chat.opt.motd': { en: 'IRC message of the day', 'pt-BR': 'mensagem do dia do IRC' },
  'chat.opt.allowOrigin': {
    en: 'web origin allowed besides the same origin (repeatable)',
    'pt-BR': 'origem web permitida além da própria (repetível)',
  },
  'chat.opt.maxLine': {
    en: 'longest line a line-door client may send (default: 8k)',
    'pt-BR': 'linha mais longa que um cliente da entrada de linha pode enviar (padrão: 8k)',
  },
  'chat.opt.maxSendQueue': {
    en: 'bytes waiting for a slow reader before it is dropped (default: 256k)',
    'pt-BR': 'bytes esperando um leitor lento antes de desconectá-lo (padrão: 256k)',
  },
  'chat.opt.maxConnections': {
    en: 'connections in total (default: 10000)',
    'pt-BR': 'conexões no total (padrão: 10000)',
  },
  'chat.opt.maxPerIp': {
    en: 'connections per IP address (default: 50)',
    'pt-BR': 'conexões por endereço IP (padrão: 50)',
  },
  'chat.opt.handshakeTimeout': {
    en: 'seconds a TLS handshake may take, from the first byte (default: 15)',
    'pt-BR': 'segundos que um handshake TLS pode levar, desde o primeiro byte (padrão: 15)',
  },
  'chat.opt.floodRate': {
    en: 'lines per second a client may send, steady (default: 5)',
    'pt-BR': 'linhas por segundo que um cliente pode enviar, em regime (padrão: 5)',
  },
  'chat.opt.floodBurst': {
    en: 'lines a client may send at once (default: 20)',
    'pt-BR': 'linhas que um cliente pode enviar de uma vez (padrão: 20)',
  },
  'chat.opt.floodQueue': {
    en: 'lines held back by flood control before disconnecting (default: 100)',
    'pt-BR': 'linhas retidas pelo controle de flood antes de desconectar (padrão: 100)',
  },
  'chat.opt.keepalive': {
    en: 'TCP keepalive delay, 0 for off (default: 60)',
    'pt-BR': 'atraso do keepalive TCP, 0 desliga (padrão: 60)',
  },
  'chat.opt.coalesceMs': {
    en: 'the longest wait between two writes to a client when the server is busy (from 100,000 deliveries/s on it grows to this at 800,000/s), all messages of the interval in one write; a quiet server writes at once; 0: every event-loop turn (default: 10)',
    'pt-BR':
      'a maior espera entre duas escritas a um cliente com o servidor ocupado (a partir de 100.000 entregas/s cresce até isto a 800.000/s), todas as mensagens do intervalo numa escrita; um servidor calmo escreve na hora; 0: a cada volta do event loop (padrão: 10)',
  },
  'chat.opt.idleFlushMs': {
    en: 'line door: text without a line ending counts after this pause (default: 40)',
    'pt-BR': 'entrada de linha: texto sem fim de linha conta após esta pausa (padrão: 40)',
  },
  'chat.opt.logLevel': { en: 'log level', 'pt-BR': 'nível de log' },
  'chat.opt.nick': {
    en: 'your nickname (asked when on a terminal)',
    'pt-BR': 'seu apelido (perguntado quando num terminal)',
  },
  'chat.opt.reconnect': {
    en: 'when the connection drops, retry with back-off',
    'pt-BR': 'quando a conexão cair, tenta de novo com espera crescente',
  },
  'chat.opt.timeout': { en: 'connect timeout in milliseconds', 'pt-BR': 'tempo limite de conexão em milissegundos' },
  'chat.opt.noColor': { en: 'no colours even on a terminal', 'pt-BR': 'sem cores mesmo num terminal' },
  'chat.opt.address': { en: '[HOST:]PORT of the chat server', 'pt-BR': '[HOST:]PORTA do servidor de chat' },

  // Refusals of a configuration (server/config.ts), shown after the setting's path (`limits.maxLine: …`).
  // `config.type.*` are the kinds of value a setting expects or got.
  'config.unknownKey': { en: 'unknown setting', 'pt-BR': 'configuração desconhecida' },
  'config.missing': { en: 'missing: expected {expected}', 'pt-BR': 'faltando: esperado {expected}' },
  'config.invalidType': { en: 'expected {expected}, got {value}', 'pt-BR': 'esperado {expected}, recebido {value}' },
  'config.tooSmall': {
    en: 'must be at least {limit}, got {value}',
    'pt-BR': 'deve ser no mínimo {limit}, recebido {value}',
  },
  'config.notAbove': {
    en: 'must be more than {limit}, got {value}',
    'pt-BR': 'deve ser maior que {limit}, recebido {value}',
  },
  'config.tooBig': {
    en: 'must be at most {limit}, got {value}',
    'pt-BR': 'deve ser no máximo {limit}, recebido {value}',
  },
  'config.notBelow': {
    en: 'must be less than {limit}, got {value}',
    'pt-BR': 'deve ser menor que {limit}, recebido {value}',
  },
  'config.invalidValue': {
    en: 'must be one of {values}, got {value}',
    'pt-BR': 'deve ser um de {values}, recebido {value}',
  },
  'config.invalidFormat': { en: 'not a valid {format}: {value}', 'pt-BR': '{format} inválido: {value}' },
  'config.other': { en: '{text}', 'pt-BR': '{text}' },
  'config.badAddress': {
    en: 'invalid address {value}: expected [HOST:]PORT, a port number or "off"',
    'pt-BR': 'endereço inválido {value}: esperado [HOST:]PORTA, um número de porta ou "off"',
  },
  'config.badStore': {
    en: 'not a PostgreSQL URL: {value} (expected postgres://USER[:PASS]@HOST:PORT/DB)',
    'pt-BR': 'não é uma URL do PostgreSQL: {value} (esperado postgres://USUARIO[:SENHA]@HOST:PORTA/BANCO)',
  },
  'config.tlsKeyMissing': {
    en: 'missing: a certificate (tlsCert) needs its key',
    'pt-BR': 'falta a chave: um certificado (tlsCert) precisa da sua chave',
  },
  'config.tlsCertMissing': {
    en: 'missing: a key (tlsKey) needs its certificate',
    'pt-BR': 'falta o certificado: uma chave (tlsKey) precisa do seu certificado',
  },
  'config.ircsNeedsCert': {
    en: 'IRC over TLS needs a certificate and its key (tlsCert, tlsKey)',
    'pt-BR': 'IRC sobre TLS precisa de um certificado e da sua chave (tlsCert, tlsKey)',
  },
  'config.allDoorsOff': {
    en: 'every door is off: switch at least one on (line, irc, ircs, http, ircWs)',
    'pt-BR': 'todas as entradas estão desligadas: ligue pelo menos uma (line, irc, ircs, http, ircWs)',
  },
  'config.noWebDoor': {
    en: 'has no effect: the web doors (http, ircWs) are off',
    'pt-BR': 'não tem efeito: as entradas web (http, ircWs) estão desligadas',
  },
  'config.noIrcDoor': {
    en: 'has no effect: every IRC door (irc, ircs, http, ircWs) is off',
    'pt-BR': 'não tem efeito: todas as entradas IRC (irc, ircs, http, ircWs) estão desligadas',
  },
  'config.cannotRead': { en: 'cannot read {file}: {code}', 'pt-BR': 'não foi possível ler {file}: {code}' },
  'config.badJson': { en: '{file} is not valid JSON: {detail}', 'pt-BR': '{file} não é um JSON válido: {detail}' },
  'config.type.string': { en: 'a string', 'pt-BR': 'um texto' },
  'config.type.number': { en: 'a number', 'pt-BR': 'um número' },
  'config.type.int': { en: 'a whole number', 'pt-BR': 'um número inteiro' },
  'config.type.boolean': { en: 'true or false', 'pt-BR': 'true ou false' },
  'config.type.object': { en: 'an object', 'pt-BR': 'um objeto' },
  'config.type.array': { en: 'a list', 'pt-BR': 'uma lista' },
};

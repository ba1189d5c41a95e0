import type { Section } from './types.js';

/** Texts of src/tools and of the `hello`, `echo` and `bench models` commands. Keys are prefixed `tools.`. */
export const tools: Section = {
  'tools.hello.description': {
    en: 'the tutorial\'s basic server and client ("Servidor Básico"/"Cliente Básico")',
    'pt-BR': 'o servidor e o cliente básicos do tutorial ("Servidor Básico"/"Cliente Básico")',
  },
  'tools.hello.serve.description': {
    en: 'send a welcome to each client and close its connection (keeps serving; --once stops after one)',
    'pt-BR': 'envia uma saudação a cada cliente e fecha a conexão (continua servindo; --once para após um)',
  },
  'tools.hello.connect.description': {
    en: 'connect to a hello server and print what it sends',
    'pt-BR': 'conecta a um servidor hello e mostra o que ele envia',
  },
  'tools.echo.description': {
    en: 'the tutorial\'s echo server and client, over TCP or UDP ("Servidor Echo"/"Cliente Echo")',
    'pt-BR': 'o servidor e o cliente echo do tutorial, por TCP ou UDP ("Servidor Echo"/"Cliente Echo")',
  },
  'tools.echo.serve.description': {
    en: 'answer every read (or line, or datagram) with "Echo: " and what was received',
    'pt-BR': 'responde a cada leitura (ou linha, ou datagrama) com "Echo: " e o que recebeu',
  },
  'tools.echo.connect.description': {
    en: 'send the lines you type (or pipe) to an echo server and print its answers as they arrive; "sair" or "quit" ends',
    'pt-BR':
      'envia as linhas digitadas (ou de um pipe) a um servidor echo e mostra as respostas quando chegam; "sair" ou "quit" encerra',
  },
  'tools.opt.host': { en: 'address to listen on', 'pt-BR': 'endereço onde escutar' },
  'tools.opt.port': { en: 'port to listen on (0: any free port)', 'pt-BR': 'porta onde escutar (0: qualquer livre)' },
  'tools.opt.message': { en: 'welcome message to send', 'pt-BR': 'mensagem de boas-vindas a enviar' },
  'tools.opt.once': {
    en: 'stop after serving one connection, as the tutorial does',
    'pt-BR': 'para após atender uma conexão, como o tutorial',
  },
  'tools.opt.model': {
    en: 'concurrency model: evented (one thread, non-blocking), sequential (one connection at a time), threads (handlers on worker threads), processes (several processes share the port)',
    'pt-BR':
      'modelo de concorrência: evented (uma thread, não bloqueante), sequential (uma conexão por vez), threads (tratamento em threads de trabalho), processes (vários processos dividem a porta)',
  },
  'tools.opt.threads': {
    en: 'worker threads of --model threads',
    'pt-BR': 'threads de trabalho de --model threads',
  },
  'tools.opt.workers': { en: 'processes of --model processes', 'pt-BR': 'processos de --model processes' },
  'tools.opt.workMs': {
    en: 'simulate a handler that blocks for this many ms per request',
    'pt-BR': 'simula um tratamento que bloqueia por esta quantidade de ms a cada requisição',
  },
  'tools.opt.quiet': {
    en: 'do not log each connection and request',
    'pt-BR': 'não registra cada conexão e requisição',
  },
  'tools.opt.stats': {
    en: 'on exit, print how many requests were served and the most at once',
    'pt-BR': 'ao sair, mostra quantas requisições foram atendidas e o máximo simultâneo',
  },
  'tools.opt.lines': {
    en: 'frame by line (LF or CRLF) instead of answering every read',
    'pt-BR': 'delimita por linha (LF ou CRLF) em vez de responder a cada leitura',
  },
  'tools.opt.clientLines': {
    en: 'end each message with a newline (for a server run with --lines)',
    'pt-BR': 'termina cada mensagem com quebra de linha (para um servidor com --lines)',
  },
  'tools.opt.prefix': {
    en: 'text put before each answer (empty for a plain echo)',
    'pt-BR': 'texto posto antes de cada resposta (vazio para um echo puro)',
  },
  'tools.opt.upper': {
    en: 'answer in upper case (the "modified sentence" server of chapter 4)',
    'pt-BR': 'responde em maiúsculas (o servidor "modified sentence" do capítulo 4)',
  },
  'tools.opt.udp': { en: 'use UDP datagrams instead of TCP', 'pt-BR': 'usa datagramas UDP em vez de TCP' },
  'tools.opt.rate': {
    en: 'UDP: answers per source address per second',
    'pt-BR': 'UDP: respostas por endereço de origem por segundo',
  },
  'tools.opt.maxLine': {
    en: 'longest line accepted with --lines, in bytes',
    'pt-BR': 'maior linha aceita com --lines, em bytes',
  },
  'tools.usage.flagNeedsModel': {
    en: '{flag} applies only to --model {needs} (not {model})',
    'pt-BR': '{flag} só vale para --model {needs} (não {model})',
  },
  'tools.opt.timeout': {
    en: 'ms to wait for the connection and for each answer',
    'pt-BR': 'ms de espera pela conexão e por cada resposta',
  },
  'tools.arg.address': {
    en: 'server address [HOST:]PORT (default localhost:5000)',
    'pt-BR': 'endereço do servidor [HOST:]PORTA (padrão localhost:5000)',
  },
  'tools.usage.clientPortZero': {
    en: 'port 0 in "{value}" only means "any free port" to a server: give the port the server listens on (e.g. localhost:5000)',
    'pt-BR':
      'a porta 0 em "{value}" só significa "qualquer porta livre" para um servidor: informe a porta em que o servidor escuta (ex.: localhost:5000)',
  },
  'tools.log.listening': {
    en: 'listening on {address} (model {model})',
    'pt-BR': 'escutando em {address} (modelo {model})',
  },
  'tools.log.listeningUdp': { en: 'listening on {address} (UDP)', 'pt-BR': 'escutando em {address} (UDP)' },
  'tools.log.connection': { en: 'connection from {peer}', 'pt-BR': 'conexão de {peer}' },
  'tools.log.received': { en: 'received from {peer}: {text}', 'pt-BR': 'recebido de {peer}: {text}' },
  'tools.log.closed': { en: '{peer} disconnected', 'pt-BR': '{peer} desconectou' },
  'tools.log.lineTooLong': {
    en: '{peer} sent a line longer than {max} bytes: connection closed',
    'pt-BR': '{peer} enviou uma linha maior que {max} bytes: conexão fechada',
  },
  'tools.log.dropPort': {
    en: 'not answering {peer}: source ports below 1024 are never answered (reflection guard)',
    'pt-BR':
      'sem resposta para {peer}: portas de origem abaixo de 1024 nunca são respondidas (proteção contra reflexão)',
  },
  'tools.log.dropRate': {
    en: 'not answering {peer}: more than {rate} datagrams per second',
    'pt-BR': 'sem resposta para {peer}: mais de {rate} datagramas por segundo',
  },
  'tools.log.stopping': { en: 'stopping ({signal})', 'pt-BR': 'parando ({signal})' },
  'tools.log.stats': {
    en: 'served {requests} requests, at most {max} at once',
    'pt-BR': 'atendeu {requests} requisições, no máximo {max} ao mesmo tempo',
  },
  'tools.client.connected': { en: 'connected to {address}', 'pt-BR': 'conectado a {address}' },
  'tools.client.received': { en: 'Received: {text}', 'pt-BR': 'Recebido: {text}' },
  'tools.client.closed': { en: 'connection closed', 'pt-BR': 'conexão encerrada' },
  'tools.client.udpReady': {
    en: 'sending datagrams to {address} (type "sair" to quit)',
    'pt-BR': 'enviando datagramas para {address} (digite "sair" para terminar)',
  },
  'tools.client.hint': {
    en: 'type a message and Enter ("sair" or "quit" to end)',
    'pt-BR': 'digite uma mensagem e Enter ("sair" ou "quit" para terminar)',
  },
  'tools.bench.description': {
    en: 'run the same client load against each concurrency model of "echo serve" and print a table',
    'pt-BR': 'aplica a mesma carga de clientes a cada modelo de concorrência do "echo serve" e mostra uma tabela',
  },
  'tools.bench.opt.models': {
    en: 'models to measure, comma-separated',
    'pt-BR': 'modelos a medir, separados por vírgula',
  },
  'tools.bench.opt.connections': {
    en: 'clients at once (each: connect, send, wait for the answer, close, repeat)',
    'pt-BR': 'clientes simultâneos (cada um: conecta, envia, espera a resposta, fecha, repete)',
  },
  'tools.bench.opt.duration': {
    en: 'seconds of load per model',
    'pt-BR': 'segundos de carga por modelo',
  },
  'tools.bench.running': {
    en: 'measuring {model}: {connections} clients for {ms} ms, {work} ms of blocking work per request…',
    'pt-BR': 'medindo {model}: {connections} clientes por {ms} ms, {work} ms de trabalho bloqueante por requisição…',
  },
  'tools.bench.col.model': { en: 'model', 'pt-BR': 'modelo' },
  'tools.bench.col.rps': { en: 'requests/s', 'pt-BR': 'requisições/s' },
  'tools.bench.col.p50': { en: 'p50 ms', 'pt-BR': 'p50 ms' },
  'tools.bench.col.p99': { en: 'p99 ms', 'pt-BR': 'p99 ms' },
  'tools.bench.col.atOnce': { en: 'most at once', 'pt-BR': 'máx. simultâneo' },
  'tools.bench.col.errors': { en: 'errors', 'pt-BR': 'erros' },
  'tools.bench.note': {
    en: '"most at once": the most requests the server was handling at the same moment, counted by the server.',
    'pt-BR':
      '"máx. simultâneo": o maior número de requisições que o servidor tratava no mesmo instante, contado pelo servidor.',
  },
};

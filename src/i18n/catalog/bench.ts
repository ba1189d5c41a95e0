import type { Section } from './types.js';

/** Texts of the `tomada bench` commands. Keys are prefixed `bench.`. */
export const bench: Section = {
  'bench.description': {
    en: 'load generators: measure the concurrency models, a chat server or an echo server',
    'pt-BR': 'geradores de carga: meça os modelos de concorrência, um servidor de chat ou um servidor echo',
  },
  'bench.chat.description': {
    en: 'load a chat server: N clients in one room, S of them sending; counts deliveries, loss, duplicates, corruption and latency',
    'pt-BR':
      'carga num servidor de chat: N clientes numa sala, S deles enviando; conta entregas, perdas, duplicatas, corrupção e latência',
  },
  'bench.echo.description': {
    en: 'load an echo server in a closed loop (send, wait for the answer, repeat): requests/s and latency',
    'pt-BR': 'carga num servidor echo em laço fechado (envia, espera a resposta, repete): requisições/s e latência',
  },
  'bench.opt.proto': { en: 'protocol: {choices}', 'pt-BR': 'protocolo: {choices}' },
  'bench.opt.host': { en: 'server host', 'pt-BR': 'host do servidor' },
  'bench.opt.port': {
    en: "server port (ws: the web door's HTTP port; the clients open ws://HOST:PORT/ws)",
    'pt-BR': 'porta do servidor (ws: a porta HTTP da entrada web; os clientes abrem ws://HOST:PORT/ws)',
  },
  'bench.opt.echoPort': { en: "the echo server's port", 'pt-BR': 'porta do servidor echo' },
  'bench.opt.clients': { en: 'clients in the room', 'pt-BR': 'clientes na sala' },
  'bench.opt.senders': { en: 'how many of the clients send', 'pt-BR': 'quantos dos clientes enviam' },
  'bench.opt.rate': { en: 'messages per second, per sender', 'pt-BR': 'mensagens por segundo, por remetente' },
  'bench.opt.size': { en: 'message size in bytes', 'pt-BR': 'tamanho da mensagem em bytes' },
  'bench.opt.duration': { en: 'seconds of sending', 'pt-BR': 'segundos de envio' },
  'bench.opt.warmup': {
    en: 'seconds of sending before the measurement starts, not counted (both sides warm up)',
    'pt-BR': 'segundos de envio antes de a medição começar, não contados (os dois lados aquecem)',
  },
  'bench.opt.procs': {
    en: 'processes to spread the clients over (so the generator is not the bottleneck)',
    'pt-BR': 'processos entre os quais dividir os clientes (para o gerador não ser o gargalo)',
  },
  'bench.opt.alsoPort': {
    en: 'a second node of the same network: the clients that do not send alternate between --port and this one (the senders stay on --port)',
    'pt-BR':
      'um segundo nó da mesma rede: os clientes que não enviam alternam entre --port e este (os que enviam ficam em --port)',
  },
  'bench.opt.alsoPid': {
    en: 'more process ids (comma-separated: the other node, Redis, PostgreSQL) whose CPU and memory count with --server-pid’s',
    'pt-BR':
      'mais ids de processo (separados por vírgula: o outro nó, o Redis, o PostgreSQL) cuja CPU e memória contam com as do --server-pid',
  },
  'bench.opt.serverPid': {
    en: "the server's process id: report its CPU per million deliveries and its peak memory (Linux)",
    'pt-BR': 'o id do processo do servidor: informa a CPU dele por milhão de entregas e o pico de memória (Linux)',
  },
  'bench.opt.json': { en: 'print the report as JSON', 'pt-BR': 'imprime o relatório em JSON' },
  'bench.opt.connectConcurrency': {
    en: 'connections opened at once (ngIRCd accepts about 10 at a time)',
    'pt-BR': 'conexões abertas ao mesmo tempo (o ngIRCd aceita cerca de 10 por vez)',
  },
  'bench.opt.connectTimeout': {
    en: 'seconds allowed for all clients to register',
    'pt-BR': 'segundos permitidos para todos os clientes se registrarem',
  },
  'bench.opt.connections': { en: 'concurrent connections', 'pt-BR': 'conexões simultâneas' },
  'bench.opt.timeout': {
    en: 'UDP: milliseconds to wait for an answer before counting it lost',
    'pt-BR': 'UDP: milissegundos de espera por uma resposta antes de contá-la perdida',
  },
  'bench.usage.sendersGtClients': {
    en: '--senders ({senders}) cannot be more than --clients ({clients})',
    'pt-BR': '--senders ({senders}) não pode ser maior que --clients ({clients})',
  },
  'bench.usage.remoteNeedsFlag': {
    en: 'refusing to load {host}, which is not a loopback address: add --allow-remote if that server is yours',
    'pt-BR':
      'recusando carregar {host}, que não é um endereço de loopback: adicione --allow-remote se o servidor for seu',
  },
  'bench.opt.allowRemote': {
    en: 'allow a target that is not on this machine (only servers you run)',
    'pt-BR': 'permite um alvo fora desta máquina (só servidores seus)',
  },
  'bench.opt.room': {
    en: "room the clients talk in, never the server's default room ('' for a server without rooms)",
    'pt-BR': "sala em que os clientes conversam, nunca a sala padrão do servidor ('' para um servidor sem salas)",
  },
  'bench.usage.badRoom': {
    en: 'invalid --room "{value}": a room name starts with # (e.g. #bench)',
    'pt-BR': '--room inválido "{value}": um nome de sala começa com # (ex.: #bench)',
  },
  'bench.chat.room': {
    en: 'bench clients talk in {room}',
    'pt-BR': 'os clientes do bench conversam em {room}',
  },
  'bench.chat.noRoom': {
    en: 'bench clients join no room (--no-join)',
    'pt-BR': 'os clientes do bench não entram em sala (--no-join)',
  },
  'bench.opt.noJoin': {
    en: 'register only, join no room (idle connections: IRC sends no JOIN, the line door gets /part)',
    'pt-BR': 'só registra, sem entrar em sala (conexões ociosas: no IRC sem JOIN, na entrada de linha /part)',
  },
  'bench.error.noClients': {
    en: 'no client could register with {target}: {reason}',
    'pt-BR': 'nenhum cliente conseguiu se registrar em {target}: {reason}',
  },
  'bench.progress.connect': { en: 'connecting', 'pt-BR': 'conectando' },
  'bench.progress.warmup': { en: 'warming up', 'pt-BR': 'aquecendo' },
  'bench.progress.run': { en: 'sending', 'pt-BR': 'enviando' },
  'bench.progress.drain': { en: 'draining', 'pt-BR': 'esvaziando' },
  'bench.progress.done': { en: 'done', 'pt-BR': 'pronto' },
  'bench.report.chatTarget': {
    en: '{proto} {target}: {connected}/{clients} clients connected ({failed} failed), {senders} senders × {rate} msg/s, {size}-byte messages, {seconds} s (after {warmup} s of warm-up, not counted)',
    'pt-BR':
      '{proto} {target}: {connected}/{clients} clientes conectados ({failed} falharam), {senders} remetentes × {rate} msg/s, mensagens de {size} bytes, {seconds} s (após {warmup} s de aquecimento, não contados)',
  },
  'bench.report.deliveries': {
    en: 'messages sent {sent}; deliveries expected {expected}, received {received}, lost {lost} ({lossPct} %)',
    'pt-BR':
      'mensagens enviadas {sent}; entregas esperadas {expected}, recebidas {received}, perdidas {lost} ({lossPct} %)',
  },
  'bench.report.faults': {
    en: 'duplicates {duplicates}, out of order {reordered}, corrupted {corrupt}, connections dropped {dropped}',
    'pt-BR': 'duplicatas {duplicates}, fora de ordem {reordered}, corrompidas {corrupt}, conexões caídas {dropped}',
  },
  'bench.report.rate': {
    en: 'deliveries/s {rate}; latency p50 {p50} ms, p99 {p99} ms, max {max} ms',
    'pt-BR': 'entregas/s {rate}; latência p50 {p50} ms, p99 {p99} ms, máx {max} ms',
  },
  'bench.report.server': {
    en: 'server pid {pid}: {cpm} CPU-s per million deliveries ({cpu} CPU-s), RSS {rss} MiB (peak {peak} MiB, {perConn} KiB per connection)',
    'pt-BR':
      'servidor pid {pid}: {cpm} CPU-s por milhão de entregas ({cpu} CPU-s), RSS {rss} MiB (pico {peak} MiB, {perConn} KiB por conexão)',
  },
  'bench.report.serverNoProc': {
    en: 'server pid {pid}: /proc gives no figures for it (Linux only, and the process must be alive)',
    'pt-BR': 'servidor pid {pid}: o /proc não dá números dele (só Linux, e o processo precisa estar vivo)',
  },
  'bench.report.generator': {
    en: 'generator: {procs} process(es), busiest event loop {elu} % busy, {cpu} CPU-s',
    'pt-BR': 'gerador: {procs} processo(s), laço de eventos mais ocupado {elu} % ocupado, {cpu} CPU-s',
  },
  'bench.report.saturated': {
    en: 'warning: the generator itself was saturated ({behind} messages behind schedule): these figures measure the generator, not the server; use --procs or fewer clients',
    'pt-BR':
      'aviso: o próprio gerador ficou saturado ({behind} mensagens atrasadas): estes números medem o gerador, não o servidor; use --procs ou menos clientes',
  },
  'bench.report.notSaturated': {
    en: 'the generator was not saturated: the figures measure the server',
    'pt-BR': 'o gerador não ficou saturado: os números medem o servidor',
  },
  'bench.report.failures': {
    en: 'first connection failures: {list}',
    'pt-BR': 'primeiras falhas de conexão: {list}',
  },
  'bench.report.echo': {
    en: 'echo {proto} {target}: {connections} connections, {size}-byte requests, {seconds} s: {requests} requests ({rate}/s), lost {lost}; latency p50 {p50} ms, p99 {p99} ms, max {max} ms',
    'pt-BR':
      'echo {proto} {target}: {connections} conexões, requisições de {size} bytes, {seconds} s: {requests} requisições ({rate}/s), perdidas {lost}; latência p50 {p50} ms, p99 {p99} ms, máx {max} ms',
  },
  'bench.report.echoServer': {
    en: 'server pid {pid}: {cpm} CPU-s per million requests, peak RSS {peak} MiB',
    'pt-BR': 'servidor pid {pid}: {cpm} CPU-s por milhão de requisições, pico de RSS {peak} MiB',
  },
};

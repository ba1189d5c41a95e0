/**
 * The web client's own interface texts, English and Brazilian Portuguese, same `{placeholders}`.
 * (Server error texts arrive already translated in the JSON `error` messages.)
 */
export type Lang = 'en' | 'pt-BR';

const en = {
  title: 'tomada chat',
  'login.nick': 'Nickname',
  'login.go': 'Enter',
  'login.hint': 'Letters, digits and _-[]\\`^{}|; up to 30 characters.',
  'login.connecting': 'Connecting…',
  'login.unreachable': 'The server cannot be reached. Try again in a moment.',
  'login.password': 'Server password',
  'chat.send': 'Send',
  'chat.placeholder': 'Message {target} — /help for commands',
  'chat.rooms': 'Rooms',
  'chat.private': 'Private',
  'chat.members': 'Members ({count})',
  'chat.toggleRooms': 'Rooms',
  'chat.toggleMembers': 'Members',
  'chat.older': 'Loading older messages…',
  'chat.start': 'Beginning of {room}',
  'chat.newBelow': 'New messages ↓',
  'chat.unreadDivider': 'New',
  'chat.privateWith': 'Private conversation with {nick}',
  'chat.peerOnline': 'online (in a room with you)',
  'chat.peerUnknown': 'not in any of your rooms (may be offline)',
  'chat.talk': 'Message',
  'chat.talkTo': 'Open a private conversation with {nick}',
  'chat.leave': 'Leave room',
  'chat.close': 'Close conversation',
  'chat.browse': 'Browse rooms',
  'chat.join': 'Join',
  'chat.roomMembers': '{count} online',
  'notify.private': '{nick} (private)',
  'notify.mention': '{nick} in {room}',
  'info.sentPrivate': 'To {nick}: {text}',
  'status.online': 'online as {nick}',
  'status.offline': 'disconnected',
  'status.retry': 'reconnecting in {secs} s…',
  'status.connecting': 'connecting…',
  'conn.connecting': 'Connecting to the server…',
  'conn.retry': 'Connection lost. Reconnecting in {secs} s…',
  'conn.offline': 'You are offline. What you write is kept and sent when the network is back.',
  'conn.stopped': 'Disconnected.',
  'conn.waiting': 'Waiting to be sent: {count}.',
  'conn.now': 'Reconnect now',
  'out.sending': 'sending…',
  'out.waiting': 'waiting for the connection',
  'out.failed': 'not sent: {reason}',
  'out.maybeSent': 'the connection dropped too long ago to know whether it arrived',
  'out.retry': 'Retry',
  'out.discard': 'Discard',
  'info.join': '{nick} joined {room}',
  'info.part': '{nick} left {room}',
  'info.quit': '{nick} quit ({reason})',
  'info.nick': '{old} is now {nick}',
  'info.kick': '{nick} was kicked from {room} by {by} ({reason})',
  'info.topic': 'Topic: {topic}',
  'info.topicSet': '{nick} set the topic: {topic}',
  'info.topicCleared': '{nick} cleared the topic',
  'info.noTopic': 'No topic.',
  'info.joined': 'You are in {room} ({count} online).',
  'info.invite': '{nick} invites you to {room}: /join {room}',
  'info.rooms': 'Rooms:',
  'info.roomItem': '{room} ({count}) {topic}',
  'info.noRooms': 'No rooms.',
  'info.who': 'In {room} ({count}): {nicks}',
  'info.bye': 'Disconnected: {reason}',
  'info.reconnected': 'Reconnected.',
  'info.lang': 'Language: English.',
  'info.help':
    'Commands: /join #room [key], /part [reason], /nick NAME, /msg NICK TEXT, /query NICK, /me ACTION, /topic [TEXT], /rooms, /who, /history [N], /lang en|pt-BR, /quit [reason], /help. Start with // to send a line beginning with /.',
  'error.unknownCommand': 'Unknown command /{command}. Type /help.',
  'error.usage': 'Usage: {usage}',
  'error.notInRoom': 'You are not in a room: /join #room',
  'error.tooLong': 'Not sent: the message has {length} characters, the limit is {max}. Shorten it or split it.',
};

export type Key = keyof typeof en;

const pt: Record<Key, string> = {
  title: 'chat tomada',
  'login.nick': 'Apelido',
  'login.go': 'Entrar',
  'login.hint': 'Letras, dígitos e _-[]\\`^{}|; até 30 caracteres.',
  'login.connecting': 'Conectando…',
  'login.unreachable': 'Não foi possível falar com o servidor. Tente de novo daqui a pouco.',
  'login.password': 'Senha do servidor',
  'chat.send': 'Enviar',
  'chat.placeholder': 'Mensagem para {target} — /help para os comandos',
  'chat.rooms': 'Salas',
  'chat.private': 'Privado',
  'chat.members': 'Membros ({count})',
  'chat.toggleRooms': 'Salas',
  'chat.toggleMembers': 'Membros',
  'chat.older': 'Carregando mensagens anteriores…',
  'chat.start': 'Início de {room}',
  'chat.newBelow': 'Novas mensagens ↓',
  'chat.unreadDivider': 'Novas',
  'chat.privateWith': 'Conversa privada com {nick}',
  'chat.peerOnline': 'online (numa sala com você)',
  'chat.peerUnknown': 'em nenhuma das suas salas (pode estar offline)',
  'chat.talk': 'Mensagem',
  'chat.talkTo': 'Abrir uma conversa privada com {nick}',
  'chat.leave': 'Sair da sala',
  'chat.close': 'Fechar conversa',
  'chat.browse': 'Ver salas',
  'chat.join': 'Entrar',
  'chat.roomMembers': '{count} online',
  'notify.private': '{nick} (privado)',
  'notify.mention': '{nick} em {room}',
  'info.sentPrivate': 'Para {nick}: {text}',
  'status.online': 'online como {nick}',
  'status.offline': 'desconectado',
  'status.retry': 'reconectando em {secs} s…',
  'status.connecting': 'conectando…',
  'conn.connecting': 'Conectando ao servidor…',
  'conn.retry': 'Conexão perdida. Reconectando em {secs} s…',
  'conn.offline': 'Você está offline. O que você escrever fica guardado e é enviado quando a rede voltar.',
  'conn.stopped': 'Desconectado.',
  'conn.waiting': 'Aguardando envio: {count}.',
  'conn.now': 'Reconectar agora',
  'out.sending': 'enviando…',
  'out.waiting': 'aguardando a conexão',
  'out.failed': 'não enviada: {reason}',
  'out.maybeSent': 'a conexão caiu há tempo demais para saber se ela chegou',
  'out.retry': 'Tentar de novo',
  'out.discard': 'Descartar',
  'info.join': '{nick} entrou em {room}',
  'info.part': '{nick} saiu de {room}',
  'info.quit': '{nick} saiu ({reason})',
  'info.nick': '{old} agora é {nick}',
  'info.kick': '{nick} foi expulso de {room} por {by} ({reason})',
  'info.topic': 'Tópico: {topic}',
  'info.topicSet': '{nick} mudou o tópico: {topic}',
  'info.topicCleared': '{nick} apagou o tópico',
  'info.noTopic': 'Sem tópico.',
  'info.joined': 'Você está em {room} ({count} online).',
  'info.invite': '{nick} convida você para {room}: /join {room}',
  'info.rooms': 'Salas:',
  'info.roomItem': '{room} ({count}) {topic}',
  'info.noRooms': 'Nenhuma sala.',
  'info.who': 'Em {room} ({count}): {nicks}',
  'info.bye': 'Desconectado: {reason}',
  'info.reconnected': 'Reconectado.',
  'info.lang': 'Idioma: português.',
  'info.help':
    'Comandos: /join #sala [chave], /part [motivo], /nick NOME, /msg APELIDO TEXTO, /query APELIDO, /me AÇÃO, /topic [TEXTO], /rooms, /who, /history [N], /lang en|pt-BR, /quit [motivo], /help. Comece com // para enviar uma linha que começa com /.',
  'error.unknownCommand': 'Comando desconhecido /{command}. Digite /help.',
  'error.usage': 'Uso: {usage}',
  'error.notInRoom': 'Você não está em nenhuma sala: /join #sala',
  'error.tooLong': 'Não enviada: a mensagem tem {length} caracteres, o limite é {max}. Encurte-a ou divida-a.',
};

export const TEXTS: Record<Lang, Record<Key, string>> = { en, 'pt-BR': pt };

export function pickLang(wanted: readonly (string | null | undefined)[]): Lang {
  for (const w of wanted) {
    if (!w) continue;
    const v = w.toLowerCase();
    if (v.startsWith('pt')) return 'pt-BR';
    if (v.startsWith('en')) return 'en';
  }
  return 'en';
}

export function translate(lang: Lang, key: Key, params: Record<string, string | number> = {}): string {
  return TEXTS[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : String(v);
  });
}

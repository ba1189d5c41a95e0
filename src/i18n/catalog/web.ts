import type { Section } from './types.js';

/**
 * Texts of the web door (`web.`): the `text` of the JSON protocol's `error` messages (keyed by their
 * stable `code`) and the HTTP listener's own pages. The browser client's interface texts live in
 * `src/web/i18n.ts` (it cannot import server code).
 */
export const web: Section = {
  'web.error.NICK_IN_USE': {
    en: 'The nickname {nick} is taken, choose another.',
    'pt-BR': 'O apelido {nick} já está em uso, escolha outro.',
  },
  'web.error.NICK_empty': { en: 'Choose a nickname.', 'pt-BR': 'Escolha um apelido.' },
  'web.error.NICK_tooLong': {
    en: 'The nickname {nick} is too long (at most {max} characters).',
    'pt-BR': 'O apelido {nick} é longo demais (no máximo {max} caracteres).',
  },
  'web.error.NICK_badStart': {
    en: 'The nickname {nick} may not start with a digit, "-", "#", ":" or "&".',
    'pt-BR': 'O apelido {nick} não pode começar com dígito, "-", "#", ":" ou "&".',
  },
  'web.error.NICK_badChars': {
    en: 'The nickname {nick} has characters that are not allowed (use letters, digits and _-[]\\`^{}|).',
    'pt-BR': 'O apelido {nick} tem caracteres não permitidos (use letras, dígitos e _-[]\\`^{}|).',
  },
  'web.error.ROOM_INVALID': {
    en: 'Invalid room name {room} (it starts with # and has no spaces or commas).',
    'pt-BR': 'Nome de sala inválido {room} (começa com # e não tem espaços nem vírgulas).',
  },
  'web.error.NO_SUCH_ROOM': { en: 'There is no room {room}.', 'pt-BR': 'Não existe a sala {room}.' },
  'web.error.NO_SUCH_NICK': { en: 'There is no user {nick}.', 'pt-BR': 'Não existe o usuário {nick}.' },
  'web.error.NOT_IN_ROOM': { en: 'You are not in {room}.', 'pt-BR': 'Você não está em {room}.' },
  'web.error.ALREADY_IN_ROOM': { en: 'You are already in {room}.', 'pt-BR': 'Você já está em {room}.' },
  'web.error.USER_NOT_IN_ROOM': { en: '{nick} is not in {room}.', 'pt-BR': '{nick} não está em {room}.' },
  'web.error.NOT_ROOM_OP': { en: 'You are not an operator of {room}.', 'pt-BR': 'Você não é operador de {room}.' },
  'web.error.NOT_SERVER_OP': {
    en: 'Only server operators may do that.',
    'pt-BR': 'Só operadores do servidor podem fazer isso.',
  },
  'web.error.BANNED': { en: 'You are banned from {room}.', 'pt-BR': 'Você está banido de {room}.' },
  'web.error.INVITE_ONLY': { en: '{room} is invite-only.', 'pt-BR': '{room} é só para convidados.' },
  'web.error.BAD_KEY': {
    en: '{room} needs a key: /join {room} KEY',
    'pt-BR': '{room} exige uma chave: /join {room} CHAVE',
  },
  'web.error.ROOM_FULL': { en: '{room} is full.', 'pt-BR': '{room} está cheia.' },
  'web.error.CANNOT_SEND': {
    en: 'You cannot speak in {room} (moderated or banned).',
    'pt-BR': 'Você não pode falar em {room} (moderada ou banido).',
  },
  'web.error.NOT_STORED': {
    en: 'Not sent: the message to {room} could not be stored (history unavailable). Try again.',
    'pt-BR': 'Não enviada: a mensagem para {room} não pôde ser guardada (histórico indisponível). Tente de novo.',
  },
  'web.error.HISTORY_UNAVAILABLE': {
    en: 'The history of {room} is unavailable right now.',
    'pt-BR': 'O histórico de {room} está indisponível no momento.',
  },
  'web.error.MESSAGE_UNKNOWN': {
    en: 'That message is not in the history of {room} (deleted already?).',
    'pt-BR': 'Essa mensagem não está no histórico de {room} (já apagada?).',
  },
  'web.error.REDACT_FORBIDDEN': {
    en: 'Only its sender or an operator of {room} may delete that message.',
    'pt-BR': 'Só quem a enviou ou um operador de {room} pode apagar essa mensagem.',
  },
  'web.error.SEARCH_INVALID': {
    en: 'Search for 1 to {max} characters.',
    'pt-BR': 'Busque de 1 a {max} caracteres.',
  },
  'web.error.CLUSTER_UNAVAILABLE': {
    en: 'The network is unreachable for a moment: a nickname cannot be taken nor a room joined now. Try again.',
    'pt-BR':
      'A rede está inacessível no momento: não dá para pegar um apelido nem entrar numa sala agora. Tente de novo.',
  },
  'web.error.EMPTY_TEXT': { en: 'The message is empty.', 'pt-BR': 'A mensagem está vazia.' },
  'web.error.PASSWORD_REQUIRED': {
    en: 'This server asks for a password.',
    'pt-BR': 'Este servidor pede senha.',
  },
  'web.error.BAD_PASSWORD': { en: 'Wrong password.', 'pt-BR': 'Senha errada.' },
  'web.error.ROOM_REGISTERED': {
    en: '{room} is registered: it keeps its name.',
    'pt-BR': '{room} é registrada: mantém o nome.',
  },
  'web.error.NOT_SIGNED_IN': {
    en: 'Sign in to your account first ("Have an account?" on the first screen).',
    'pt-BR': 'Entre antes na sua conta ("Tem uma conta?" na primeira tela).',
  },
  'web.error.ROOM_ALREADY_REGISTERED': { en: '{room} is already registered.', 'pt-BR': '{room} já é registrada.' },
  'web.error.ROOMS_UNAVAILABLE': {
    en: 'Rooms cannot be registered on this server.',
    'pt-BR': 'Não é possível registrar salas neste servidor.',
  },
  'web.error.ROOM_NAME_IN_USE': {
    en: 'There is already a room called {room}.',
    'pt-BR': 'Já existe uma sala chamada {room}.',
  },
  'web.error.BAN_LIST_FULL': {
    en: 'The ban list of {room} is full.',
    'pt-BR': 'A lista de banimentos de {room} está cheia.',
  },
  'web.error.TOO_MANY_ROOMS': { en: 'You are in too many rooms.', 'pt-BR': 'Você está em salas demais.' },
  'web.error.BAD_MESSAGE': {
    en: 'The server did not understand a message ({detail}).',
    'pt-BR': 'O servidor não entendeu uma mensagem ({detail}).',
  },
  'web.error.METADATA_KEY': {
    en: 'Only display-name and avatar can be set here, not {key}.',
    'pt-BR': 'Aqui só se definem display-name e avatar, não {key}.',
  },
  'web.error.DISPLAY_NAME_INVALID': {
    en: 'A display name is 1 to 64 characters, without control characters.',
    'pt-BR': 'Um nome de exibição tem de 1 a 64 caracteres, sem caracteres de controle.',
  },
  'web.error.AVATAR_INVALID': {
    en: 'An avatar is an https:// address of at most 300 bytes.',
    'pt-BR': 'Um avatar é um endereço https:// de no máximo 300 bytes.',
  },
  'web.error.METADATA_LIMIT': {
    en: 'You have too many metadata keys set.',
    'pt-BR': 'Você já definiu chaves de metadados demais.',
  },
  'web.error.BAD_LANG': {
    en: 'Unknown language {lang} (en or pt-BR).',
    'pt-BR': 'Idioma desconhecido {lang} (en ou pt-BR).',
  },
  'web.error.NOT_REGISTERED': { en: 'Say hello with a nickname first.', 'pt-BR': 'Primeiro diga olá com um apelido.' },
  'web.error.ALREADY_REGISTERED': {
    en: 'You already have a nickname; use /nick to change it.',
    'pt-BR': 'Você já tem um apelido; use /nick para trocá-lo.',
  },
  'web.error.REGISTRATION_TIMEOUT': {
    en: 'No nickname given in time; closing.',
    'pt-BR': 'Nenhum apelido informado a tempo; encerrando.',
  },
  'web.error.FLOOD': {
    en: 'Too many messages too fast (flood); closing.',
    'pt-BR': 'Mensagens demais rápido demais (flood); encerrando.',
  },
  'web.error.BINARY': {
    en: 'This socket takes JSON text messages only; closing.',
    'pt-BR': 'Este socket só aceita mensagens de texto JSON; encerrando.',
  },
  'web.error.INTERNAL': { en: 'Something went wrong on the server.', 'pt-BR': 'Algo deu errado no servidor.' },
  'web.bye': { en: 'Bye!', 'pt-BR': 'Até mais!' },
  'web.http.notFound': { en: 'Not found.', 'pt-BR': 'Não encontrado.' },
  'web.http.notBuilt': {
    en: 'The web client is not built: run "npm run build" (or "node scripts/build-web.mjs").',
    'pt-BR': 'O cliente web não foi compilado: rode "npm run build" (ou "node scripts/build-web.mjs").',
  },
  'web.http.originRefused': { en: 'Origin not allowed.', 'pt-BR': 'Origem não permitida.' },
  'web.http.upgradeRequired': {
    en: 'This port speaks IRC over WebSocket only.',
    'pt-BR': 'Esta entrada só fala IRC sobre WebSocket.',
  },
  'web.http.full': { en: 'Too many connections; try again later.', 'pt-BR': 'Conexões demais; tente mais tarde.' },
  'web.http.timeout': {
    en: 'The request headers took too long.',
    'pt-BR': 'Os cabeçalhos da requisição demoraram demais.',
  },
  'web.http.tooManyHeaders': {
    en: 'Too many request headers.',
    'pt-BR': 'Cabeçalhos demais na requisição.',
  },
  'web.http.badRequest': { en: 'Bad request.', 'pt-BR': 'Requisição inválida.' },
};

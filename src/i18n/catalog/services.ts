import type { Section } from './types.js';

/**
 * Texts of the IRC door's built-in services beyond login (`services.`): NickServ's certificates and
 * GHOST/RECOVER, ChanServ (rooms with an owner), and the line door's room registration.
 */
export const services: Section = {
  // ---- NickServ CERT ----
  'services.cert.usage': {
    en: 'Usage: /msg NickServ CERT ADD [FINGERPRINT] | CERT DEL FINGERPRINT | CERT LIST',
    'pt-BR': 'Uso: /msg NickServ CERT ADD [IMPRESSÃO] | CERT DEL IMPRESSÃO | CERT LIST',
  },
  'services.cert.none': {
    en: 'Your connection has no client certificate: give its SHA-256 fingerprint (CERT ADD FINGERPRINT).',
    'pt-BR': 'Sua conexão não tem certificado de cliente: dê a impressão SHA-256 dele (CERT ADD IMPRESSÃO).',
  },
  'services.cert.bad': {
    en: '{fp} is not a SHA-256 fingerprint (64 hex digits, colons allowed).',
    'pt-BR': '{fp} não é uma impressão SHA-256 (64 dígitos hexadecimais, dois-pontos permitidos).',
  },
  'services.cert.added': {
    en: 'Certificate {fp} added to {account}: log in with SASL EXTERNAL.',
    'pt-BR': 'Certificado {fp} adicionado a {account}: entre com SASL EXTERNAL.',
  },
  'services.cert.exists': {
    en: 'Certificate {fp} is already on {account}.',
    'pt-BR': 'O certificado {fp} já está em {account}.',
  },
  'services.cert.taken': {
    en: 'Certificate {fp} belongs to another account.',
    'pt-BR': 'O certificado {fp} pertence a outra conta.',
  },
  'services.cert.full': {
    en: '{account} has {max} certificates already: delete one first.',
    'pt-BR': '{account} já tem {max} certificados: apague um antes.',
  },
  'services.cert.deleted': {
    en: 'Certificate {fp} removed from {account}.',
    'pt-BR': 'Certificado {fp} removido de {account}.',
  },
  'services.cert.notThere': {
    en: 'Certificate {fp} is not on {account}.',
    'pt-BR': 'O certificado {fp} não está em {account}.',
  },
  'services.cert.list': {
    en: 'Certificates of {account}: {list}',
    'pt-BR': 'Certificados de {account}: {list}',
  },
  'services.cert.empty': { en: '{account} has no certificates.', 'pt-BR': '{account} não tem certificados.' },
  'services.cert.unavailable': {
    en: 'Certificates are not kept on this server.',
    'pt-BR': 'Este servidor não guarda certificados.',
  },
  // ---- NickServ GHOST / RECOVER ----
  'services.ghost.usage': {
    en: 'Usage: /msg NickServ {command} NICK [PASSWORD]',
    'pt-BR': 'Uso: /msg NickServ {command} APELIDO [SENHA]',
  },
  'services.ghost.notOnline': { en: '{nick} is not online.', 'pt-BR': '{nick} não está conectado.' },
  'services.ghost.self': { en: '{nick} is you.', 'pt-BR': '{nick} é você.' },
  'services.ghost.notYours': {
    en: '{nick} is not registered to you: log in to its account, or give its password.',
    'pt-BR': '{nick} não é registrado para você: entre na conta dele, ou dê a senha dele.',
  },
  'services.ghost.loggedIn': {
    en: '{nick} is logged in to its account: that session is yours already.',
    'pt-BR': '{nick} está na conta dele: aquela sessão já é sua.',
  },
  'services.ghost.done': { en: '{nick} has been disconnected.', 'pt-BR': '{nick} foi desconectado.' },
  'services.ghost.reason': {
    en: 'Disconnected by NickServ (GHOST by {by})',
    'pt-BR': 'Desconectado pelo NickServ (GHOST por {by})',
  },
  'services.recover.done': {
    en: 'You have recovered the nickname {nick}.',
    'pt-BR': 'Você recuperou o apelido {nick}.',
  },
  'services.recover.failed': {
    en: '{nick} was disconnected, but the nickname could not be taken: try /nick {nick}.',
    'pt-BR': '{nick} foi desconectado, mas não foi possível pegar o apelido: tente /nick {nick}.',
  },
  'services.ns.help': {
    en: 'More: GHOST NICK [PASSWORD], RECOVER NICK [PASSWORD], CERT ADD [FINGERPRINT], CERT DEL FINGERPRINT, CERT LIST',
    'pt-BR':
      'Mais: GHOST APELIDO [SENHA], RECOVER APELIDO [SENHA], CERT ADD [IMPRESSÃO], CERT DEL IMPRESSÃO, CERT LIST',
  },
  // ---- IRC: draft/account-registration ----
  'services.reg.connectFirst': {
    en: 'Register your account after connecting (after the welcome).',
    'pt-BR': 'Registre sua conta depois de conectar (depois das boas-vindas).',
  },
  'services.reg.mustBeNick': {
    en: 'The account name is your nickname: REGISTER {nick} (or *) EMAIL|* PASSWORD.',
    'pt-BR': 'O nome da conta é o seu apelido: REGISTER {nick} (ou *) EMAIL|* SENHA.',
  },
  'services.reg.noVerify': {
    en: 'No verification is needed on this server: REGISTER logs you in at once.',
    'pt-BR': 'Este servidor não precisa de verificação: o REGISTER já faz você entrar.',
  },
  'services.reg.usageREGISTER': {
    en: 'Usage: REGISTER ACCOUNT|* EMAIL|* PASSWORD',
    'pt-BR': 'Uso: REGISTER CONTA|* EMAIL|* SENHA',
  },
  'services.reg.usageVERIFY': { en: 'Usage: VERIFY ACCOUNT CODE', 'pt-BR': 'Uso: VERIFY CONTA CÓDIGO' },
  'irc.help.REGISTER': {
    en: 'REGISTER <account|*> <email|*> <password>\nRegisters your nickname as an account and logs you in (IRCv3 draft/account-registration; the account is your nickname, no e-mail is kept). Also: /msg NickServ REGISTER PASSWORD.',
    'pt-BR':
      'REGISTER <conta|*> <email|*> <senha>\nRegistra seu apelido como conta e já faz você entrar (IRCv3 draft/account-registration; a conta é o seu apelido, nenhum e-mail é guardado). Também: /msg NickServ REGISTER SENHA.',
  },
  'irc.help.VERIFY': {
    en: 'VERIFY <account> <code>\nNot needed here: REGISTER logs you in at once.',
    'pt-BR': 'VERIFY <conta> <código>\nNão é preciso aqui: o REGISTER já faz você entrar.',
  },
  'services.log.roomStoreFailed': {
    en: 'a registered room could not be saved',
    'pt-BR': 'uma sala registrada não pôde ser gravada',
  },
  // ---- IRC: ChanServ, and rooms with an owner on every door ----
  'services.cs.registered': {
    en: '{room} is now registered to {account}: its topic and modes are kept, and you get operator status on every join.',
    'pt-BR':
      '{room} agora é registrada para {account}: o tópico e os modos ficam guardados, e você vira operador a cada entrada.',
  },
  'services.cs.loginFirst': {
    en: 'Log in to your account first (SASL, or /msg NickServ IDENTIFY PASSWORD).',
    'pt-BR': 'Entre antes na sua conta (SASL, ou /msg NickServ IDENTIFY SENHA).',
  },
  'services.cs.notIn': { en: 'You are not in {room}.', 'pt-BR': 'Você não está em {room}.' },
  'services.cs.notOp': {
    en: 'You are not an operator of {room}.',
    'pt-BR': 'Você não é operador de {room}.',
  },
  'services.cs.exists': { en: '{room} is already registered.', 'pt-BR': '{room} já é registrada.' },
  'services.cs.notRegistered': { en: '{room} is not registered.', 'pt-BR': '{room} não é registrada.' },
  'services.cs.info': {
    en: 'Room {room}: founder {founder}; registered {registered}',
    'pt-BR': 'Sala {room}: fundador {founder}; registrada em {registered}',
  },
  'services.cs.notFounder': {
    en: 'Only the founder of {room} may do that.',
    'pt-BR': 'Só o fundador de {room} pode fazer isso.',
  },
  'services.cs.dropped': {
    en: '{room} is no longer registered.',
    'pt-BR': '{room} não é mais registrada.',
  },
  'services.cs.unavailable': {
    en: 'Rooms cannot be registered on this server.',
    'pt-BR': 'Este servidor não registra salas.',
  },
  'services.cs.unknown': {
    en: 'Unknown command {command}: /msg ChanServ HELP',
    'pt-BR': 'Comando desconhecido {command}: /msg ChanServ HELP',
  },
  'services.cs.usage': { en: 'Usage: /msg ChanServ {usage}', 'pt-BR': 'Uso: /msg ChanServ {usage}' },
  'services.cs.help': {
    en: 'Commands: REGISTER #ROOM (you, logged in, an operator of it), INFO #ROOM, DROP #ROOM (its founder)',
    'pt-BR': 'Comandos: REGISTER #SALA (você, com login, operador dela), INFO #SALA, DROP #SALA (o fundador)',
  },
};

import type { Section } from './types.js';

/** Texts of accounts (`accounts.`): the `tomada account` command and the login texts of the doors. */
export const accounts: Section = {
  // ---- tomada account ----
  'accounts.cli.description': {
    en: 'Manage registered accounts (works while the server runs: changes count at the next login)',
    'pt-BR': 'Gerencia as contas registradas (funciona com o servidor no ar: vale no próximo login)',
  },
  'accounts.cli.opt.dataDir': {
    en: 'the data directory of the server (where accounts.sqlite is)',
    'pt-BR': 'o diretório de dados do servidor (onde fica accounts.sqlite)',
  },
  'accounts.cli.opt.store': {
    en: 'the PostgreSQL of a server run with --store (postgres://USER[:PASS]@HOST:PORT/DB) instead of --data-dir',
    'pt-BR':
      'o PostgreSQL de um servidor rodando com --store (postgres://USUÁRIO[:SENHA]@HOST:PORTA/BANCO) em vez de --data-dir',
  },
  'accounts.cli.opt.passwordStdin': {
    en: 'read the password from standard input (one line) instead of asking',
    'pt-BR': 'lê a senha da entrada padrão (uma linha) em vez de perguntar',
  },
  'accounts.cli.opt.oper': {
    en: 'the account is a server operator',
    'pt-BR': 'a conta é de operador do servidor',
  },
  'accounts.cli.arg.name': { en: 'the account name (a nickname)', 'pt-BR': 'o nome da conta (um apelido)' },
  'accounts.cli.add.description': { en: 'Register an account', 'pt-BR': 'Registra uma conta' },
  'accounts.cli.passwd.description': { en: "Change an account's password", 'pt-BR': 'Troca a senha de uma conta' },
  'accounts.cli.del.description': { en: 'Delete an account', 'pt-BR': 'Apaga uma conta' },
  'accounts.cli.list.description': { en: 'List the accounts', 'pt-BR': 'Lista as contas' },
  'accounts.cli.info.description': { en: 'Show one account', 'pt-BR': 'Mostra uma conta' },
  'accounts.cli.prompt': { en: 'Password for {name}: ', 'pt-BR': 'Senha de {name}: ' },
  'accounts.cli.promptAgain': { en: 'Again: ', 'pt-BR': 'De novo: ' },
  'accounts.cli.added': { en: 'Account {name} registered.', 'pt-BR': 'Conta {name} registrada.' },
  'accounts.cli.passwdDone': { en: 'Password of {name} changed.', 'pt-BR': 'Senha de {name} trocada.' },
  'accounts.cli.deleted': { en: 'Account {name} deleted.', 'pt-BR': 'Conta {name} apagada.' },
  'accounts.cli.none': { en: 'No accounts.', 'pt-BR': 'Nenhuma conta.' },
  'accounts.cli.item': { en: '{name}\t{created}{oper}', 'pt-BR': '{name}\t{created}{oper}' },
  'accounts.cli.operMark': { en: '\toper', 'pt-BR': '\toperador' },
  'accounts.cli.info': {
    en: 'Account {name}: registered {created}; operator: {oper}',
    'pt-BR': 'Conta {name}: registrada em {created}; operador: {oper}',
  },
  'accounts.cli.yes': { en: 'yes', 'pt-BR': 'sim' },
  'accounts.cli.no': { en: 'no', 'pt-BR': 'não' },
  'accounts.cli.exists': { en: 'account {name} already exists', 'pt-BR': 'a conta {name} já existe' },
  'accounts.cli.noSuch': { en: 'no account {name}', 'pt-BR': 'não há conta {name}' },
  'accounts.cli.badName': {
    en: '"{name}" cannot be a nickname ({problem})',
    'pt-BR': '"{name}" não pode ser um apelido ({problem})',
  },
  'accounts.cli.mismatch': { en: 'the passwords differ', 'pt-BR': 'as senhas não são iguais' },
  'accounts.cli.noTty': {
    en: 'no terminal to ask the password on: use --password-stdin',
    'pt-BR': 'não há terminal para pedir a senha: use --password-stdin',
  },
  'accounts.cli.cancelled': { en: 'cancelled', 'pt-BR': 'cancelado' },
  'accounts.password.empty': { en: 'the password is empty', 'pt-BR': 'a senha está vazia' },
  'accounts.password.tooShort': {
    en: 'the password is too short (at least 4 characters)',
    'pt-BR': 'a senha é curta demais (ao menos 4 caracteres)',
  },
  'accounts.password.tooLong': {
    en: 'the password is too long (at most 256 bytes)',
    'pt-BR': 'a senha é longa demais (no máximo 256 bytes)',
  },
  'accounts.password.badChars': {
    en: 'the password has control characters or is not UTF-8',
    'pt-BR': 'a senha tem caracteres de controle ou não é UTF-8',
  },
  // ---- the line door ----
  'accounts.line.registered': {
    en: '* The nickname {nick} is registered: log in with /login PASSWORD (or reconnect with another nickname).',
    'pt-BR': '* O apelido {nick} é registrado: entre com /login SENHA (ou reconecte com outro apelido).',
  },
  'accounts.line.loginFirst': {
    en: '* Log in first: /login PASSWORD',
    'pt-BR': '* Entre primeiro: /login SENHA',
  },
  'accounts.line.loginTimeout': {
    en: '! No login in {secs} seconds; closing.',
    'pt-BR': '! Nenhum login em {secs} segundos; encerrando.',
  },
  'accounts.line.badLogin': { en: '! Wrong account or password.', 'pt-BR': '! Conta ou senha errada.' },
  'accounts.line.throttled': {
    en: '! Too many failed logins; try again in {secs} s.',
    'pt-BR': '! Logins errados demais; tente de novo em {secs} s.',
  },
  'accounts.line.tooManyTries': {
    en: '! Too many login attempts; closing.',
    'pt-BR': '! Tentativas de login demais; encerrando.',
  },
  'accounts.line.loggedIn': { en: '* You are logged in as {account}.', 'pt-BR': '* Você entrou como {account}.' },
  'accounts.line.alreadyIn': {
    en: '* You are already logged in as {account}.',
    'pt-BR': '* Você já entrou como {account}.',
  },
  'accounts.line.registeredNow': {
    en: '* The nickname {nick} is now registered to you; you are logged in.',
    'pt-BR': '* O apelido {nick} agora é seu; você já entrou.',
  },
  'accounts.line.exists': {
    en: '! The nickname {nick} is already registered: /login PASSWORD',
    'pt-BR': '! O apelido {nick} já é registrado: /login SENHA',
  },
  'accounts.line.notRegistered': {
    en: '! The nickname {nick} is not registered: /register PASSWORD',
    'pt-BR': '! O apelido {nick} não é registrado: /register SENHA',
  },
  'accounts.line.closed': {
    en: '! Registration is closed on this server.',
    'pt-BR': '! O registro de apelidos está fechado neste servidor.',
  },
  'accounts.line.slowDown': {
    en: '! Too many registrations from your address; try again in {secs} s.',
    'pt-BR': '! Registros demais do seu endereço; tente de novo em {secs} s.',
  },
  // ---- nick protection (every door) ----
  'accounts.grace.warning': {
    en: '* The nickname {nick} is registered: log in within {secs} seconds (/login PASSWORD) or it will be changed.',
    'pt-BR': '* O apelido {nick} é registrado: entre em até {secs} segundos (/login SENHA) ou ele será trocado.',
  },
  'accounts.grace.warningIrc': {
    en: 'The nickname {nick} is registered: log in within {secs} seconds (SASL, or /msg NickServ IDENTIFY PASSWORD) or it will be changed.',
    'pt-BR':
      'O apelido {nick} é registrado: entre em até {secs} segundos (SASL, ou /msg NickServ IDENTIFY SENHA) ou ele será trocado.',
  },
  'accounts.grace.warningWeb': {
    en: 'The nickname {nick} is registered to someone else: in {secs} seconds it will be changed to a guest name.',
    'pt-BR': 'O apelido {nick} é de outra pessoa: em {secs} segundos ele será trocado por um nome de visitante.',
  },
  // ---- tomada chat serve ----
  'accounts.opt.nickGrace': {
    en: 'seconds a registered nickname may be used without logging in before it becomes a guest name (0: never; default 30)',
    'pt-BR':
      'segundos que um apelido registrado pode ser usado sem login antes de virar nome de visitante (0: nunca; padrão 30)',
  },
  'accounts.opt.registration': {
    en: 'whether people may register nicknames themselves (/register): open or closed (default open)',
    'pt-BR': 'se as pessoas podem registrar apelidos (/register): open ou closed (padrão open)',
  },
  // ---- IRC: NickServ ----
  'accounts.ns.usage': { en: 'Usage: /msg NickServ {usage}', 'pt-BR': 'Uso: /msg NickServ {usage}' },
  'accounts.ns.alreadyIn': {
    en: 'You are already logged in as {account}.',
    'pt-BR': 'Você já entrou como {account}.',
  },
  'accounts.ns.notIn': { en: 'You are not logged in.', 'pt-BR': 'Você não entrou em nenhuma conta.' },
  'accounts.ns.registered': {
    en: 'The nickname {nick} is now registered to you.',
    'pt-BR': 'O apelido {nick} agora é seu.',
  },
  'accounts.ns.exists': {
    en: 'The nickname {nick} is already registered: /msg NickServ IDENTIFY PASSWORD',
    'pt-BR': 'O apelido {nick} já é registrado: /msg NickServ IDENTIFY SENHA',
  },
  'accounts.ns.noSuch': { en: 'The nickname {nick} is not registered.', 'pt-BR': 'O apelido {nick} não é registrado.' },
  'accounts.ns.info': {
    en: 'Account {nick}: registered {created}; logged in now: {online}',
    'pt-BR': 'Conta {nick}: registrada em {created}; conectada agora: {online}',
  },
  'accounts.ns.passwordChanged': {
    en: 'The password of {account} is changed.',
    'pt-BR': 'A senha de {account} foi trocada.',
  },
  'accounts.ns.dropped': { en: 'The account {account} is deleted.', 'pt-BR': 'A conta {account} foi apagada.' },
  'accounts.ns.unknown': {
    en: 'Unknown command {command}: /msg NickServ HELP',
    'pt-BR': 'Comando desconhecido {command}: /msg NickServ HELP',
  },
  'accounts.ns.help': {
    en: 'Commands: REGISTER PASSWORD, IDENTIFY [ACCOUNT] PASSWORD, INFO [NICK], SET PASSWORD NEWPASSWORD, DROP PASSWORD, LOGOUT',
    'pt-BR':
      'Comandos: REGISTER SENHA, IDENTIFY [CONTA] SENHA, INFO [APELIDO], SET PASSWORD NOVASENHA, DROP SENHA, LOGOUT',
  },
  // ---- IRC HELP topic (the other topics are in irc-help.ts) ----
  'irc.help.AUTHENTICATE': {
    en: 'AUTHENTICATE mechanism | data | * | +\nSASL login (IRCv3 sasl-3.2; request the sasl capability first): PLAIN, SCRAM-SHA-256, or EXTERNAL (a TLS client certificate, on --ircs), base64 in 400-byte pieces, + for an empty piece, * to abort. Before or after registration. Also: /msg NickServ HELP.',
    'pt-BR':
      'AUTHENTICATE mecanismo | dados | * | +\nLogin SASL (IRCv3 sasl-3.2; peça antes a capacidade sasl): PLAIN, SCRAM-SHA-256, ou EXTERNAL (um certificado de cliente TLS, no --ircs), base64 em pedaços de 400 bytes, + para um pedaço vazio, * para desistir. Antes ou depois do registro. Veja também: /msg NickServ HELP.',
  },
};

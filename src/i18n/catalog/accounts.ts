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
};

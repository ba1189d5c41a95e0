import type { Section } from './types.js';

/** Texts of the history store (`--store`) and of `tomada store`. Keys are prefixed `store.`. */
export const store: Section = {
  'store.description': {
    en: 'the history store: carry a server’s history to PostgreSQL',
    'pt-BR': 'o armazenamento do histórico: leve o histórico de um servidor para o PostgreSQL',
  },
  'store.migrate.description': {
    en: 'copy the SQLite history of a data directory to PostgreSQL (same ids, times and rooms; running it again copies nothing twice)',
    'pt-BR':
      'copia o histórico SQLite de um diretório de dados para o PostgreSQL (mesmos ids, horários e salas; rodar de novo não copia nada duas vezes)',
  },
  'store.opt.from': {
    en: 'the data directory of the server (--data-dir), holding history.sqlite',
    'pt-BR': 'o diretório de dados do servidor (--data-dir), com o history.sqlite',
  },
  'store.opt.to': {
    en: 'the PostgreSQL database: postgres://USER[:PASS]@HOST:PORT/DB (sslmode=… in the URL for TLS)',
    'pt-BR': 'o banco PostgreSQL: postgres://USUARIO[:SENHA]@HOST:PORTA/BANCO (sslmode=… na URL para TLS)',
  },
  'store.opt.batch': { en: 'messages per transaction', 'pt-BR': 'mensagens por transação' },
  'store.migrate.noHistory': {
    en: 'no history in {dir} (no history.sqlite there): give the server’s --data-dir',
    'pt-BR': 'não há histórico em {dir} (nenhum history.sqlite lá): dê o --data-dir do servidor',
  },
  'store.migrate.badSqlite': {
    en: '{file} is not a tomada history: {reason}',
    'pt-BR': '{file} não é um histórico do tomada: {reason}',
  },
  'store.migrate.done': {
    en: 'copied {copied} messages from {dir} to {url} ({skipped} were already there)',
    'pt-BR': '{copied} mensagens copiadas de {dir} para {url} ({skipped} já estavam lá)',
  },
  'store.badUrl': {
    en: 'not a PostgreSQL URL: {url} (expected postgres://USER[:PASS]@HOST:PORT/DB)',
    'pt-BR': 'não é uma URL do PostgreSQL: {url} (esperado postgres://USUARIO[:SENHA]@HOST:PORTA/BANCO)',
  },
  'store.unreachable': {
    en: 'cannot reach the history store {url}: {reason}',
    'pt-BR': 'não foi possível acessar o armazenamento do histórico {url}: {reason}',
  },
  'store.untrusted': {
    en: 'cannot reach the history store {url}: {reason} (a private certificate authority is trusted with sslrootcert=ca.pem in the URL)',
    'pt-BR':
      'não foi possível acessar o armazenamento do histórico {url}: {reason} (uma autoridade certificadora privada é aceita com sslrootcert=ca.pem na URL)',
  },
  'store.migrateFailed': {
    en: 'cannot prepare the history store {url}: {reason}',
    'pt-BR': 'não foi possível preparar o armazenamento do histórico {url}: {reason}',
  },
  'store.log.open': {
    en: 'history in PostgreSQL at {url} (last id {last})',
    'pt-BR': 'histórico no PostgreSQL em {url} (último id {last})',
  },
  'store.log.failed': {
    en: 'history store operation failed: {reason}',
    'pt-BR': 'falhou uma operação no armazenamento do histórico: {reason}',
  },
  'store.log.markersFailed': {
    en: 'could not read or keep read markers in the store (this node goes on from memory): {reason}',
    'pt-BR':
      'não foi possível ler ou guardar marcadores de leitura no armazenamento (este nó segue com o que tem na memória): {reason}',
  },
  'store.log.metadataFailed': {
    en: 'could not read or keep account metadata in the store (this node goes on from memory): {reason}',
    'pt-BR':
      'não foi possível ler ou guardar metadados de contas no armazenamento (este nó segue com o que tem na memória): {reason}',
  },
};

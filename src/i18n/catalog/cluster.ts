import type { Section } from './types.js';

/** Texts of several nodes on Redis (`--cluster`): flags, logs, refusals. Keys are prefixed `cluster.`. */
export const cluster: Section = {
  'cluster.opt.cluster': {
    en: 'join a network of nodes through Redis: redis://[:PASS@]HOST:PORT[/DB] (rediss:// for TLS)',
    'pt-BR': 'entrar numa rede de nós pelo Redis: redis://[:SENHA@]HOST:PORTA[/BANCO] (rediss:// para TLS)',
  },
  'cluster.opt.nodeName': {
    en: 'this node’s name in the network (default: host name and port); the same name gets the same node number again',
    'pt-BR':
      'o nome deste nó na rede (padrão: nome da máquina e porta); o mesmo nome recebe o mesmo número de nó de novo',
  },
  'cluster.badUrl': {
    en: 'not a Redis URL: {value} (expected redis://[:PASS@]HOST:PORT[/DB] or rediss://…)',
    'pt-BR': 'não é uma URL do Redis: {value} (esperado redis://[:SENHA@]HOST:PORTA[/BANCO] ou rediss://…)',
  },
  'cluster.badNodeName': {
    en: 'invalid node name {value}: letters, digits and . _ : - only, up to 100',
    'pt-BR': 'nome de nó inválido {value}: só letras, dígitos e . _ : -, até 100',
  },
  'cluster.unreachable': {
    en: 'cannot reach the cluster’s Redis {url}: {reason}',
    'pt-BR': 'não foi possível acessar o Redis do cluster {url}: {reason}',
  },
  'cluster.untrusted': {
    en: 'cannot reach the cluster’s Redis {url}: {reason} (a private certificate authority is trusted with NODE_EXTRA_CA_CERTS=ca.pem in tomada’s environment)',
    'pt-BR':
      'não foi possível acessar o Redis do cluster {url}: {reason} (uma autoridade certificadora privada é aceita com NODE_EXTRA_CA_CERTS=ca.pem no ambiente do tomada)',
  },
  'cluster.nameInUse': {
    en: 'the node name {name} is in use by a live node of the network {network}: give another --node-name',
    'pt-BR': 'o nome de nó {name} está em uso por um nó vivo da rede {network}: dê outro --node-name',
  },
  'cluster.full': {
    en: 'the network {network} has no free node number (all {nodes} are held by live nodes)',
    'pt-BR': 'a rede {network} não tem número de nó livre (todos os {nodes} estão com nós vivos)',
  },
  'cluster.log.joined': {
    en: 'node {name} (number {node}) in the network {network} through Redis at {url}',
    'pt-BR': 'nó {name} (número {node}) na rede {network} pelo Redis em {url}',
  },
  'cluster.log.redis': {
    en: 'cluster Redis: {reason}',
    'pt-BR': 'Redis do cluster: {reason}',
  },
  'cluster.log.up': { en: 'cluster Redis reachable again', 'pt-BR': 'Redis do cluster acessível de novo' },
  'cluster.log.down': {
    en: 'cluster Redis unreachable: new nicknames and joins are refused until it is back',
    'pt-BR': 'Redis do cluster inacessível: novos apelidos e entradas em salas são recusados até ele voltar',
  },
  'cluster.log.nodeLost': {
    en: 'node {node} lost (its lease expired): {users} of its users left',
    'pt-BR': 'nó {node} perdido (a concessão expirou): {users} usuários dele saíram',
  },
  'cluster.log.leaseLost': {
    en: 'this node lost its lease in the network ({why}): stopping, its ids could collide with another node’s',
    'pt-BR': 'este nó perdeu sua concessão na rede ({why}): parando, seus ids poderiam colidir com os de outro nó',
  },
  'cluster.quit.nodeLost': {
    en: 'Node lost: {node} stopped answering',
    'pt-BR': 'Nó perdido: {node} parou de responder',
  },
  'cluster.unavailable.nick': {
    en: '! The nickname {nick} cannot be taken now: the network is unreachable. Try again in a moment.',
    'pt-BR': '! O apelido {nick} não pode ser usado agora: a rede está inacessível. Tente de novo daqui a pouco.',
  },
  'cluster.unavailable.room': {
    en: '! Cannot join {room} now: the network is unreachable. Try again in a moment.',
    'pt-BR': '! Não é possível entrar em {room} agora: a rede está inacessível. Tente de novo daqui a pouco.',
  },
  'cluster.shutdown.leaseLost': {
    en: 'This server lost contact with the network; reconnect',
    'pt-BR': 'Este servidor perdeu o contato com a rede; reconecte',
  },
};

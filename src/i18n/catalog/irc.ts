import type { Section } from './types.js';

/**
 * Texts of the IRC door (`irc.`) that people read. Numerics' standard English texts are not here: every
 * IRC server sends them in English and clients and bots match on them.
 */
export const irc: Section = {
  'irc.motd.default': {
    en: 'Welcome to {network}, a tomada chat server.\nThe rooms here are shared with the line and web doors.\nTry /join #geral and /list.',
    'pt-BR':
      'Bem-vindo(a) a {network}, um servidor de chat tomada.\nAs salas daqui são as mesmas das entradas de linha e web.\nExperimente /join #geral e /list.',
  },
  'irc.cert.written': {
    en: 'wrote {cert} and {key} (self-signed for {hosts}, valid {days} days)',
    'pt-BR': 'gravados {cert} e {key} (autoassinado para {hosts}, válido por {days} dias)',
  },
  'irc.cert.opt.out': {
    en: 'directory to write cert.pem and key.pem to',
    'pt-BR': 'diretório onde gravar cert.pem e key.pem',
  },
  'irc.cert.opt.days': { en: 'days the certificate is valid', 'pt-BR': 'dias de validade do certificado' },
  'irc.cert.opt.host': {
    en: 'host name or IP the certificate is for (repeatable)',
    'pt-BR': 'nome ou IP para o qual o certificado vale (repetível)',
  },
  'irc.cert.description': {
    en: 'write a self-signed development certificate (for --tls-cert/--tls-key)',
    'pt-BR': 'grava um certificado autoassinado de desenvolvimento (para --tls-cert/--tls-key)',
  },
};

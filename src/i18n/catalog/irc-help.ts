import type { Section } from './types.js';

/**
 * The IRC door's HELP topics (`irc.help.<command>`), one per command it knows: the syntax, then what it
 * does. Command names and parameters stay as IRC writes them.
 */
export const ircHelp: Section = {
  'irc.help.index': {
    en: 'HELP <command> explains a command. Commands: {commands}',
    'pt-BR': 'HELP <comando> explica um comando. Comandos: {commands}',
  },
  'irc.help.ADMIN': {
    en: 'ADMIN [server]\nWho runs this server.',
    'pt-BR': 'ADMIN [servidor]\nQuem mantém este servidor.',
  },
  'irc.help.AWAY': {
    en: 'AWAY [message]\nMarks you away with a message (301 to whoever writes to you); AWAY alone marks you back.',
    'pt-BR': 'AWAY [mensagem]\nMarca você como ausente (301 para quem lhe escrever); AWAY sozinho marca a volta.',
  },
  'irc.help.CAP': {
    en: 'CAP LS [302] | REQ :caps | LIST | END\nNegotiates IRCv3 capabilities; registration waits for CAP END.',
    'pt-BR': 'CAP LS [302] | REQ :caps | LIST | END\nNegocia capacidades IRCv3; o registro espera o CAP END.',
  },
  'irc.help.CHATHISTORY': {
    en: "CHATHISTORY LATEST|BEFORE|AFTER|AROUND|BETWEEN #room <ref> [<ref>] <limit> | TARGETS <ref> <ref> <limit>\nA room's stored messages (draft/chathistory); refs are msgid=… or timestamp=….",
    'pt-BR':
      'CHATHISTORY LATEST|BEFORE|AFTER|AROUND|BETWEEN #sala <ref> [<ref>] <limite> | TARGETS <ref> <ref> <limite>\nAs mensagens guardadas de uma sala (draft/chathistory); refs são msgid=… ou timestamp=….',
  },
  'irc.help.HELP': {
    en: 'HELP [command]\nThis help; HELPOP is the same.',
    'pt-BR': 'HELP [comando]\nEsta ajuda; HELPOP é o mesmo.',
  },
  'irc.help.INFO': { en: 'INFO\nAbout this server.', 'pt-BR': 'INFO\nSobre este servidor.' },
  'irc.help.INVITE': {
    en: 'INVITE <nick> <#room>\nInvites someone in (past +i, +k, +l and +b, once); in a +i room only operators may.',
    'pt-BR':
      'INVITE <apelido> <#sala>\nConvida alguém (passa +i, +k, +l e +b, uma vez); numa sala +i só operadores podem.',
  },
  'irc.help.ISON': {
    en: 'ISON <nick> [<nick>…]\nWhich of these nicks are online.',
    'pt-BR': 'ISON <apelido> [<apelido>…]\nQuais destes apelidos estão conectados.',
  },
  'irc.help.JOIN': {
    en: 'JOIN <#room>[,<#room>…] [<key>[,<key>…]] | JOIN 0\nEnters rooms (creating them, with you as operator); JOIN 0 leaves them all.',
    'pt-BR':
      'JOIN <#sala>[,<#sala>…] [<chave>[,<chave>…]] | JOIN 0\nEntra em salas (criando-as, com você de operador); JOIN 0 sai de todas.',
  },
  'irc.help.KICK': {
    en: 'KICK <#room> <nick>[,<nick>…] [reason]\nA room operator puts someone out.',
    'pt-BR': 'KICK <#sala> <apelido>[,<apelido>…] [motivo]\nUm operador da sala põe alguém para fora.',
  },
  'irc.help.KILL': {
    en: "KILL <nick> <reason>\nAn IRC operator ends someone's connection.",
    'pt-BR': 'KILL <apelido> <motivo>\nUm operador IRC encerra a conexão de alguém.',
  },
  'irc.help.LINKS': {
    en: 'LINKS\nThe servers of this network (364, 365).',
    'pt-BR': 'LINKS\nOs servidores desta rede (364, 365).',
  },
  'irc.help.LIST': {
    en: 'LIST [<#room>,…|<filters>]\nRooms with their users and topic. Filters (ELIST=CMNTU): >n <n users, C>m C<m created more/less than m minutes ago, T>m T<m topic set more/less than m minutes ago, a mask, !mask.',
    'pt-BR':
      'LIST [<#sala>,…|<filtros>]\nSalas com usuários e tópico. Filtros (ELIST=CMNTU): >n <n usuários, C>m C<m criada há mais/menos de m minutos, T>m T<m tópico posto há mais/menos de m minutos, uma máscara, !máscara.',
  },
  'irc.help.LUSERS': {
    en: 'LUSERS\nHow many users, operators and rooms there are.',
    'pt-BR': 'LUSERS\nQuantos usuários, operadores e salas há.',
  },
  'irc.help.MODE': {
    en: 'MODE <#room> [<modes> [<params>]] | MODE <nick> [<modes>]\nRoom: +o +v nick, +b mask (m:mask mutes), +I mask (invite exception), +k key, +l limit, +i +m +n +s +t +C (no CTCP). You: +i invisible, +w wallops, +B bot, -o.',
    'pt-BR':
      'MODE <#sala> [<modos> [<parâmetros>]] | MODE <apelido> [<modos>]\nSala: +o +v apelido, +b máscara (m:máscara silencia), +I máscara (exceção de convite), +k chave, +l limite, +i +m +n +s +t +C (sem CTCP). Você: +i invisível, +w wallops, +B robô, -o.',
  },
  'irc.help.MONITOR': {
    en: 'MONITOR + <nicks> | - <nicks> | C | L | S\nTells you when these nicks come online and leave (730, 731).',
    'pt-BR': 'MONITOR + <apelidos> | - <apelidos> | C | L | S\nAvisa quando estes apelidos entram e saem (730, 731).',
  },
  'irc.help.MOTD': {
    en: 'MOTD [server]\nThe message of the day.',
    'pt-BR': 'MOTD [servidor]\nA mensagem do dia.',
  },
  'irc.help.NAMES': {
    en: 'NAMES <#room>[,<#room>…]\nWho is in a room.',
    'pt-BR': 'NAMES <#sala>[,<#sala>…]\nQuem está numa sala.',
  },
  'irc.help.NICK': {
    en: 'NICK <nick>\nChooses or changes your nick (up to 30 characters).',
    'pt-BR': 'NICK <apelido>\nEscolhe ou troca seu apelido (até 30 caracteres).',
  },
  'irc.help.NOTICE': {
    en: 'NOTICE <target>[,…] :<text>\nLike PRIVMSG, but never answered with an error or automatically.',
    'pt-BR': 'NOTICE <alvo>[,…] :<texto>\nComo PRIVMSG, mas nunca respondido com erro nem automaticamente.',
  },
  'irc.help.OPER': {
    en: 'OPER <name> <password>\nMakes you an IRC operator.',
    'pt-BR': 'OPER <nome> <senha>\nFaz de você um operador IRC.',
  },
  'irc.help.PART': {
    en: 'PART <#room>[,<#room>…] [reason]\nLeaves rooms.',
    'pt-BR': 'PART <#sala>[,<#sala>…] [motivo]\nSai de salas.',
  },
  'irc.help.PASS': {
    en: 'PASS <password>\nThe server password, before NICK and USER.',
    'pt-BR': 'PASS <senha>\nA senha do servidor, antes de NICK e USER.',
  },
  'irc.help.PING': {
    en: 'PING <token>\nThe server answers PONG with the same token.',
    'pt-BR': 'PING <token>\nO servidor responde PONG com o mesmo token.',
  },
  'irc.help.PONG': {
    en: "PONG <token>\nThe answer to the server's PING.",
    'pt-BR': 'PONG <token>\nA resposta ao PING do servidor.',
  },
  'irc.help.PRIVMSG': {
    en: "PRIVMSG <target>[,…] :<text>\nA message to a room, a nick, or a room's operators (@#room) or voices (+#room), up to 4 targets.",
    'pt-BR':
      'PRIVMSG <alvo>[,…] :<texto>\nUma mensagem para uma sala, um apelido, ou os operadores (@#sala) ou vozes (+#sala) de uma sala, até 4 alvos.',
  },
  'irc.help.QUIT': {
    en: 'QUIT [message]\nLeaves the server.',
    'pt-BR': 'QUIT [mensagem]\nSai do servidor.',
  },
  'irc.help.REDACT': {
    en: "REDACT <#room> <msgid> [:<reason>]\nDeletes a message for everyone and from history (draft/message-redaction): your own, or anyone's as a room operator.",
    'pt-BR':
      'REDACT <#sala> <msgid> [:<motivo>]\nApaga uma mensagem para todos e do histórico (draft/message-redaction): a sua, ou a de qualquer um como operador da sala.',
  },
  'irc.help.SEARCH': {
    en: 'SEARCH text=<words>[;in=#room][;from=nick][;after=time][;before=time][;limit=n]\nFull-text search of the rooms you are in (soju.im/search); every word must appear.',
    'pt-BR':
      'SEARCH text=<palavras>[;in=#sala][;from=apelido][;after=hora][;before=hora][;limit=n]\nBusca no texto das salas em que você está (soju.im/search); todas as palavras devem aparecer.',
  },
  'irc.help.SETNAME': {
    en: 'SETNAME :<real name>\nChanges your real name (setname).',
    'pt-BR': 'SETNAME :<nome real>\nTroca seu nome real (setname).',
  },
  'irc.help.TAGMSG': {
    en: 'TAGMSG <target>\nTags without text (typing, reactions) to clients with message-tags.',
    'pt-BR': 'TAGMSG <alvo>\nTags sem texto (digitando, reações) para clientes com message-tags.',
  },
  'irc.help.TIME': { en: "TIME [server]\nThe server's time.", 'pt-BR': 'TIME [servidor]\nA hora do servidor.' },
  'irc.help.TOPIC': {
    en: "TOPIC <#room> [:<topic>]\nShows or sets a room's topic (+t: operators only).",
    'pt-BR': 'TOPIC <#sala> [:<tópico>]\nMostra ou define o tópico de uma sala (+t: só operadores).',
  },
  'irc.help.USER': {
    en: 'USER <username> 0 * :<real name>\nYour user name and real name, when registering.',
    'pt-BR': 'USER <usuário> 0 * :<nome real>\nSeu nome de usuário e nome real, ao se registrar.',
  },
  'irc.help.USERHOST': {
    en: 'USERHOST <nick> [<nick>…]\nThe user@host of up to 5 nicks.',
    'pt-BR': 'USERHOST <apelido> [<apelido>…]\nO usuário@host de até 5 apelidos.',
  },
  'irc.help.VERSION': {
    en: "VERSION [server]\nThe server's version and ISUPPORT.",
    'pt-BR': 'VERSION [servidor]\nA versão do servidor e o ISUPPORT.',
  },
  'irc.help.WALLOPS': {
    en: 'WALLOPS :<text>\nAn IRC operator writes to everyone with user mode +w.',
    'pt-BR': 'WALLOPS :<texto>\nUm operador IRC escreve para todos com o modo de usuário +w.',
  },
  'irc.help.WHO': {
    en: 'WHO <#room|mask> [%fields[,token]]\nWho is in a room or matches a mask (352, or 354 with WHOX).',
    'pt-BR':
      'WHO <#sala|máscara> [%campos[,token]]\nQuem está numa sala ou casa com uma máscara (352, ou 354 com WHOX).',
  },
  'irc.help.WHOIS': {
    en: 'WHOIS <nick>\nAbout someone online.',
    'pt-BR': 'WHOIS <apelido>\nSobre alguém conectado.',
  },
  'irc.help.WHOWAS': {
    en: 'WHOWAS <nick> [count]\nAbout someone who left or changed nick.',
    'pt-BR': 'WHOWAS <apelido> [quantidade]\nSobre alguém que saiu ou trocou de apelido.',
  },
  'irc.help.BATCH': {
    en: 'BATCH +<id> draft/multiline <target> … BATCH -<id>\nSends the PRIVMSG lines tagged batch=<id> as one multi-line message (draft/multiline).',
    'pt-BR':
      'BATCH +<id> draft/multiline <alvo> … BATCH -<id>\nEnvia as linhas PRIVMSG marcadas batch=<id> como uma só mensagem de várias linhas (draft/multiline).',
  },
  'irc.help.MARKREAD': {
    en: 'MARKREAD <target> [timestamp=<time>]\nGets or moves your read marker for a room or a person (draft/read-marker), kept for your account.',
    'pt-BR':
      'MARKREAD <alvo> [timestamp=<hora>]\nLê ou avança o seu marcador de leitura de uma sala ou pessoa (draft/read-marker), guardado na sua conta.',
  },
  'irc.help.RENAME': {
    en: 'RENAME <#room> <#new name> [:reason]\nRenames a room you operate: members, modes and topic stay (draft/channel-rename; others see PART and JOIN).',
    'pt-BR':
      'RENAME <#sala> <#novo nome> [:motivo]\nRenomeia uma sala que você opera: membros, modos e tópico ficam (draft/channel-rename; os outros veem PART e JOIN).',
  },
  'irc.help.METADATA': {
    en: 'METADATA <target> SET <key> [:value] | GET <keys> | LIST | CLEAR | SYNC, METADATA * SUB|UNSUB <keys> | SUBS\nWhat you say about yourself (display-name, avatar…), seen by clients subscribed to the key (draft/metadata-2).',
    'pt-BR':
      'METADATA <alvo> SET <chave> [:valor] | GET <chaves> | LIST | CLEAR | SYNC, METADATA * SUB|UNSUB <chaves> | SUBS\nO que você diz de si (display-name, avatar…), visto pelos clientes inscritos na chave (draft/metadata-2).',
  },
};

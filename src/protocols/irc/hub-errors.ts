import { HubError } from '../../core/errors.js';
import { ERR } from '../../codec/irc/numerics.js';

/** A hub refusal as the numeric an IRC server sends (modern.ircdocs.horse "Numerics"). */
export function hubErrorNumeric(err: HubError, command: string): { numeric: string; params: string[] } {
  const p = err.params;
  const room = String(p.room ?? '*');
  const nick = String(p.nick ?? '*');
  switch (err.reason) {
    case 'NICK_INVALID':
      return { numeric: ERR.ERRONEUSNICKNAME, params: [nick, 'Erroneous nickname'] };
    case 'NICK_IN_USE':
      return { numeric: ERR.NICKNAMEINUSE, params: [nick, 'Nickname is already in use'] };
    case 'ROOM_INVALID':
    case 'NO_SUCH_ROOM':
    case 'ROOM_NAME_IN_USE':
    case 'ROOM_REGISTERED':
      return { numeric: ERR.NOSUCHCHANNEL, params: [room, 'No such channel'] };
    case 'NO_SUCH_NICK':
      return { numeric: ERR.NOSUCHNICK, params: [nick, 'No such nick/channel'] };
    case 'NOT_IN_ROOM':
      return { numeric: ERR.NOTONCHANNEL, params: [room, "You're not on that channel"] };
    case 'ALREADY_IN_ROOM':
      return { numeric: ERR.USERONCHANNEL, params: [nick, room, 'is already on channel'] };
    case 'USER_NOT_IN_ROOM':
      return { numeric: ERR.USERNOTINCHANNEL, params: [nick, room, "They aren't on that channel"] };
    case 'NOT_ROOM_OP':
      return { numeric: ERR.CHANOPRIVSNEEDED, params: [room, "You're not channel operator"] };
    case 'NOT_SERVER_OP':
      return { numeric: ERR.NOPRIVILEGES, params: ["Permission Denied- You're not an IRC operator"] };
    case 'BANNED':
      return { numeric: ERR.BANNEDFROMCHAN, params: [room, 'Cannot join channel (+b)'] };
    case 'INVITE_ONLY':
      return { numeric: ERR.INVITEONLYCHAN, params: [room, 'Cannot join channel (+i)'] };
    case 'BAD_KEY':
      return { numeric: ERR.BADCHANNELKEY, params: [room, 'Cannot join channel (+k)'] };
    case 'ROOM_FULL':
      return { numeric: ERR.CHANNELISFULL, params: [room, 'Cannot join channel (+l)'] };
    case 'CANNOT_SEND':
      return { numeric: ERR.CANNOTSENDTOCHAN, params: [room, 'Cannot send to channel'] };
    // What every client shows for a refused message: 404 with the reason (no one received it).
    case 'NOT_STORED':
      return {
        numeric: ERR.CANNOTSENDTOCHAN,
        params: [room, 'Cannot send to channel: the message could not be stored, try again'],
      };
    // RFC 2812's "temporarily unavailable": the network's Redis is away; the client may try again.
    case 'CLUSTER_UNAVAILABLE':
      return {
        numeric: ERR.UNAVAILRESOURCE,
        params: [
          String(p.room ?? p.nick ?? '*'),
          'Nick/channel is temporarily unavailable: the network is unreachable, try again',
        ],
      };
    case 'EMPTY_TEXT':
      return { numeric: ERR.NOTEXTTOSEND, params: ['No text to send'] };
    case 'TOO_MANY_ROOMS':
      return { numeric: ERR.TOOMANYCHANNELS, params: [room, 'You have joined too many channels'] };
    case 'BAN_LIST_FULL':
      return { numeric: ERR.BANLISTFULL, params: [room, String(p.mask ?? '*'), 'Channel ban list is full'] };
    default:
      return { numeric: ERR.UNKNOWNCOMMAND, params: [command, 'Unknown command'] };
  }
}

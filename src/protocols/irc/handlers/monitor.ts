import { ERR } from '../../../codec/irc/numerics.js';
import { monitorsOf } from '../monitor.js';
import { list, type CommandTable } from './types.js';

/** MONITOR + / - / C / L / S (https://ircv3.net/specs/extensions/monitor). */
export const monitor: CommandTable = {
  MONITOR: {
    min: 1,
    registered: true,
    handle(s, msg) {
      const registry = monitorsOf(s.ctx.hub);
      const op = msg.params[0]!;
      const targets = list(msg.params[1]).filter((t) => !/[\s!@*?]/.test(t));
      switch (op.toUpperCase()) {
        case '+':
          if (targets.length === 0) s.reply(ERR.NEEDMOREPARAMS, 'MONITOR', 'Not enough parameters');
          else registry.add(s, targets);
          break;
        case '-':
          registry.remove(s, targets);
          break;
        case 'C':
          registry.clear(s);
          break;
        case 'L':
          registry.list(s);
          break;
        case 'S':
          registry.status(s);
          break;
        default:
          s.fromServer('FAIL', 'MONITOR', 'UNKNOWN_COMMAND', op, 'Unknown MONITOR subcommand');
      }
    },
  },
};

import { accountRegistration } from './account-registration.js';
import { channels } from './channels.js';
import { chathistoryCommands } from './chathistory.js';
import { helpCommands } from './help.js';
import { listCommands } from './list.js';
import { messaging } from './messaging.js';
import { metadataCommands } from './metadata.js';
import { monitor } from './monitor.js';
import { oper } from './oper.js';
import { queries } from './queries.js';
import { multilineCommands } from './multiline.js';
import { readMarkerCommands } from './read-marker.js';
import { redactCommands } from './redact.js';
import { searchCommands } from './search.js';
import { registration } from './registration.js';
import { renameCommands } from './rename.js';
import { saslCommands } from '../sasl.js';
import type { CommandTable } from './types.js';

export type { CommandSpec, CommandTable } from './types.js';

/** Every command the IRC door knows, by upper-case name. */
export const COMMANDS: CommandTable = {
  ...registration,
  ...channels,
  ...messaging,
  ...queries,
  ...oper,
  ...chathistoryCommands,
  ...monitor,
  ...saslCommands,
  ...accountRegistration,
  ...helpCommands,
  ...listCommands,
  ...readMarkerCommands,
  ...multilineCommands,
  ...renameCommands,
  ...metadataCommands,
  ...redactCommands,
  ...searchCommands,
};

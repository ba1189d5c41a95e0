/**
 * Wire strings of the tutorial's chat protocol, said once: the server, the client and the load
 * generator use these. Never translated, never changed (the tutorial's programs match them exactly).
 */
/** The nickname prompt: the word alone, with no line ending. */
export const APELIDO = 'APELIDO';
/** The answer to an accepted nickname. */
export const CONNECTED = 'Conectado ao servidor!';

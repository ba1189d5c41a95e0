import type { Section } from './types.js';

/** Texts of src/irc. Keys are prefixed `irc.`. */
export const irc: Section = {};

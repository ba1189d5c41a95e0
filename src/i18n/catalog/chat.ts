import type { Section } from './types.js';

/** Texts of src/chat. Keys are prefixed `chat.`. */
export const chat: Section = {};

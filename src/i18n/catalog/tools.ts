import type { Section } from './types.js';

/** Texts of src/tools. Keys are prefixed `tools.`. */
export const tools: Section = {};

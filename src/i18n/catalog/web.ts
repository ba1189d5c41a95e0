import type { Section } from './types.js';

/** Texts of src/web. Keys are prefixed `web.`. */
export const web: Section = {};

import type { Section } from './types.js';

/** Texts of src/bench. Keys are prefixed `bench.`. */
export const bench: Section = {};

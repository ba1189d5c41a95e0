/** The door contract lives beside the doors (protocols/door.ts); re-exported for the server's users. */
export * from '../protocols/door.js';

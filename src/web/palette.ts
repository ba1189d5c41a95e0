/** How many `--nick-N` colours style.css defines per theme (each checked for 4.5:1 contrast by test/web/palette.test.ts). */
export const NICK_COLOURS = 10;

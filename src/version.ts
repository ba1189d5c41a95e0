import { readFileSync } from 'node:fs';

/**
 * tomada's version, as package.json says it (the one place it is written): read once, from beside
 * `src/` or `dist/` alike.
 */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const VERSION = packageVersion();

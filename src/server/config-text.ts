import type { Params, Translate } from '../i18n/index.js';

// Apart from config.ts so that the CLI's error lines can say a refusal without loading the schema (zod).

/**
 * Formats a refusal in one language. Parameters that are catalogue keys themselves (`config.type.number`)
 * are translated first; unknown keys (a type zod names that tomada has no word for) show their last part.
 */
export function configText(tr: Translate, key: string, params: Params = {}): string {
  const words: Params = {};
  for (const [name, v] of Object.entries(params)) {
    if (typeof v === 'string' && v.startsWith('config.type.')) {
      const word = tr(v);
      words[name] = word === v ? v.slice('config.type.'.length) : word;
    } else words[name] = v;
  }
  return tr(key, words);
}

/**
 * The one message catalogue for texts meant for people (English and Brazilian Portuguese). Wire strings
 * of the tutorials' protocols (`APELIDO`, `Conectado ao servidor!`, `Echo: `, …) are NOT here: they
 * never change with the language.
 *
 * The catalogue is split by feature (one file per folder of the product under `catalog/`) so that each
 * part of the code owns its texts; they are merged into one table here and a key may appear only once.
 */
import { cli } from './catalog/cli.js';
import { tools } from './catalog/tools.js';
import { chat } from './catalog/chat.js';
import { irc } from './catalog/irc.js';
import { ircHelp } from './catalog/irc-help.js';
import { web } from './catalog/web.js';
import { bench } from './catalog/bench.js';
import { accounts } from './catalog/accounts.js';
import { webSignIn } from './catalog/web-sign-in.js';
import { store } from './catalog/store.js';
import { cluster } from './catalog/cluster.js';
import { services } from './catalog/services.js';
import type { Entry } from './catalog/types.js';

export type Lang = 'en' | 'pt-BR';
export const LANGS: readonly Lang[] = ['en', 'pt-BR'];

const sections = { cli, tools, chat, irc, ircHelp, web, webSignIn, bench, accounts, store, services, cluster };
const table = new Map<string, Entry>();
for (const section of Object.values(sections)) {
  for (const [key, entry] of Object.entries(section)) {
    if (table.has(key)) throw new Error(`i18n: duplicate message key ${key}`);
    table.set(key, entry);
  }
}

export type Params = Record<string, string | number>;

/** Formats a catalogue entry; `{name}` placeholders are replaced from `params`. Unknown keys show as-is. */
export function t(lang: Lang, key: string, params?: Params): string {
  const entry = table.get(key);
  if (!entry) return key;
  const text = entry[lang];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : String(v);
  });
}

/** All keys (tests check every entry has both languages and the same placeholders). */
export function catalogueKeys(): string[] {
  return [...table.keys()];
}

export function catalogueEntry(key: string): Entry | undefined {
  return table.get(key);
}

/**
 * Normalises a language tag or locale (`pt`, `pt_BR.UTF-8`, `pt-br`, `en_US`) to a supported language.
 * Returns undefined for anything not understood.
 */
export function parseLang(value: string | undefined): Lang | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase().replace('_', '-');
  if (v === '' || v === 'c' || v === 'posix') return undefined;
  if (v.startsWith('pt')) return 'pt-BR';
  if (v.startsWith('en')) return 'en';
  return undefined;
}

/** The language from the environment, as POSIX orders it: LC_ALL, LC_MESSAGES, LANG; else English. */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name];
    if (value) return parseLang(value) ?? 'en';
  }
  return 'en';
}

/** A translator bound to one language. */
export type Translate = (key: string, params?: Params) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => t(lang, key, params);
}

/** One catalogue entry: the same text in each supported language, with the same `{placeholders}`. */
export interface Entry {
  en: string;
  'pt-BR': string;
}
export type Section = Record<string, Entry>;

import type { Section } from './types.js';

/** Texts of the `tomada bench` commands. Keys are prefixed `bench.`. */
export const bench: Section = {
  'bench.description': {
    en: 'load generators: measure the concurrency models, a chat server or an echo server',
    'pt-BR': 'geradores de carga: meça os modelos de concorrência, um servidor de chat ou um servidor echo',
  },
};

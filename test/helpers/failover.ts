/**
 * A sender of numbered messages (`mensagem 1`, `mensagem 2` …): `burst` of them at once, then one every
 * `everyMs`, until stopped.
 */
export function numbered(
  send: (text: string) => void,
  everyMs: number,
  burst = 0,
): { readonly count: number; stop(): void } {
  let count = 0;
  while (count < burst) send(`mensagem ${++count}`);
  // Load, not synchronisation: the messages go on at their pace whatever the test waits for.
  const timer = setInterval(() => send(`mensagem ${++count}`), everyMs);
  return {
    get count() {
      return count;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * The numbers of the messages `<prefix>N` shown in `text` (one per line; a history line's time stamp in
 * front, `[YYYY-MM-DD HH:MM] `, is allowed), in the order shown.
 */
export function shownNumbers(text: string, prefix: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const body = line.replace(/^\[[\d-]+ [\d:]+\] /, '');
    if (body.startsWith(prefix) && /^\d+$/.test(body.slice(prefix.length))) out.push(Number(body.slice(prefix.length)));
  }
  return out;
}

/** 1, 2 … n. */
export function upTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

#!/usr/bin/env node
// The web client's weight and its time to first message on a cold load, printed after the build
// (README, "The web client"): a tomada server on port 0 with history in memory, a line-door user who
// says one line in the default room, then headless Chromium with an empty profile and cache opens the
// page, enters a nickname and waits until that line is shown. Prints
//   web client: app.js N KB (M KB gzipped); first message on a cold load in X ms
// Without Chromium (or playwright-core) it prints the size and says the timing was skipped; it never
// fails the build, is bounded by a timeout, and stops what it started.
// Usage: node scripts/web-cold-load.mjs [--chromium PATH] [--from-source]
//   --from-source: the server from src/ (run with `node --import tsx`), else the compiled dist/.
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const fromSource = process.argv.includes('--from-source');
const chromiumPath = arg('--chromium') ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT_MS = 30_000;
const LINE = 'Olá! Primeira mensagem.';

const webDir = join(root, ...(fromSource ? ['src', 'web', 'dist'] : ['dist', 'web', 'dist']));
const js = readFileSync(join(webDir, 'app.js'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const size = `web client: app.js ${kb(js.length)} (${kb(gzipSync(js).length)} gzipped)`;

/**
 * Connects to the line door as `nick` and says `text` (the tutorial's handshake: APELIDO, the nickname,
 * then lines). Whether the page gets it from history or live, it is the first message it shows.
 */
function say(port, nick, text) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', function handshake(d) {
      const before = got;
      got += d;
      if (!before.includes('APELIDO') && got.includes('APELIDO')) socket.write(`${nick}\n`);
      if (/\* (You are in|Você está em) #/.test(got)) {
        socket.off('data', handshake);
        socket.write(`${text}\n`);
        resolve(socket);
      }
    });
  });
}

async function measure() {
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch {
    return 'timing skipped: playwright-core is not installed';
  }
  if (!existsSync(chromiumPath)) return `timing skipped: ${chromiumPath} is not installed`;
  const serverModule = fromSource ? '../src/server/chat-server.ts' : '../dist/server/chat-server.js';
  const { startChatServer } = await import(serverModule);
  const server = await startChatServer({
    line: { host: '127.0.0.1', port: 0 },
    irc: null,
    http: { host: '127.0.0.1', port: 0 },
    dataDir: ':memory:',
  });
  let browser;
  let line;
  try {
    line = await say(server.address('line').port, 'medidor', LINE);
    browser = await playwright.chromium.launch({
      executablePath: chromiumPath,
      timeout: TIMEOUT_MS,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // A new context: an empty profile, nothing cached.
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const start = performance.now();
    await page.goto(`http://127.0.0.1:${server.address('http').port}/`);
    await page.fill('#nick', 'visita');
    await page.click('#login-form button[type=submit]');
    await page.locator('#messages li.msg .text', { hasText: LINE }).first().waitFor();
    return `first message on a cold load in ${Math.round(performance.now() - start)} ms`;
  } finally {
    line?.destroy();
    await browser?.close();
    await server.close();
  }
}

let timing;
const timer = setTimeout(() => {
  console.log(`${size}; timing failed: over ${TIMEOUT_MS / 1000} s`);
  process.exit(0);
}, TIMEOUT_MS + 10_000);
try {
  timing = await measure();
} catch (err) {
  timing = `timing failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
}
clearTimeout(timer);
console.log(`${size}; ${timing}`);

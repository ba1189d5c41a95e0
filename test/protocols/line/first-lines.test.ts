import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closedAfterTests, lineServer } from '../../helpers/chat-server.js';
import { lineUser, WireClient } from '../../helpers/wire.js';

const { open, servers } = closedAfterTests<WireClient>();

/** A server in English whose default room has a topic and one message of history; ana is in it. */
async function englishServer(): Promise<{ port: number; ana: WireClient }> {
  const { server, port } = await lineServer({ lang: 'en' });
  servers.push(server);
  const ana = await lineUser(port, 'ana');
  open.push(ana);
  ana.send('/topic bem-vindos\n');
  await ana.waitFor('* ana set the topic of #geral to: bem-vindos\n');
  ana.send('oi\n');
  // ana's own message is not echoed: /history shows it went in.
  ana.send('/history 1\n');
  await ana.waitFor(/\] ana: oi\n/);
  return { port, ana };
}

async function raw(port: number): Promise<WireClient> {
  const c = await WireClient.connect(port);
  open.push(c);
  await c.waitFor('APELIDO');
  return c;
}

const STAMP = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d\]`;

describe('line door: the language from the first line', () => {
  it('a /lang right behind the nickname (one write) is taken before the greeting', async () => {
    const { port } = await englishServer();
    const bia = await raw(port);
    bia.send('bia\n/lang pt-BR\n');
    await bia.waitFor('* Você está em #geral (2 online). Digite /help para ver os comandos.\n');
    assert.match(
      bia.received,
      new RegExp(
        '^APELIDO' +
          'Conectado ao servidor!\n' +
          '\\* As mensagens do servidor agora estão em português\\.\n' +
          `${STAMP} ana: oi\n` +
          '\\* Tópico de #geral: bem-vindos\n' +
          '\\* Você está em #geral \\(2 online\\)\\. Digite /help para ver os comandos\\.\n$',
      ),
    );
  });

  it('a refused nickname with /lang behind it is explained in that language', async () => {
    const { port } = await englishServer();
    const c = await raw(port);
    c.send('ana\n/lang pt-BR\n');
    await c.waitFor('O apelido ana já está em uso, escolha outro.\n');
    await c.waitFor('APELIDO');
    c.send('bia\n');
    await c.waitFor('Conectado ao servidor!\n');
    await c.waitFor('* Você está em #geral');
    assert.doesNotMatch(c.received, /You are in|taken/);
  });

  it('a /lang as the first line after the greeting says the greeting again in that language', async () => {
    const { port } = await englishServer();
    const bia = await raw(port);
    bia.send('bia\n');
    await bia.waitFor('* You are in #geral (2 online). Type /help for commands.\n');
    bia.send('/lang pt-BR\n');
    await bia.waitFor('* Você está em #geral (2 online). Digite /help para ver os comandos.\n');
    const after = bia.received.slice(
      bia.received.indexOf('Type /help for commands.\n') + 'Type /help for commands.\n'.length,
    );
    assert.equal(
      after,
      '* As mensagens do servidor agora estão em português.\n' +
        '* Tópico de #geral: bem-vindos\n' +
        '* Você está em #geral (2 online). Digite /help para ver os comandos.\n',
    );
  });

  it('a later /lang only switches (no greeting again)', async () => {
    const { ana } = await englishServer();
    ana.send('/lang pt-BR\n');
    await ana.waitFor('* As mensagens do servidor agora estão em português.\n');
    ana.send('/who\n');
    await ana.waitFor(/\* .*#geral.*\n/);
    assert.doesNotMatch(ana.received, /Você está em/);
  });
});

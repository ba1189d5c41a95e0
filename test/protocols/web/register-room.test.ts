/**
 * `/register #room` on the web door (the JSON `register`): a signed-in operator of a room registers it
 * and is its founder (operator on every join); the refusals say why, in the person's language.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChatServer } from '../../../src/server/chat-server.js';
import { JsonClient, webServer, type Json } from './helpers.js';
import { api } from './sign-in-helpers.js';

describe('web door: register a room', () => {
  let server: ChatServer;
  let base: string;
  let url: string;
  let dir: string;
  const clients: JsonClient[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tomada-web-rooms-'));
    let port: number;
    ({ server, port, url } = await webServer({ dataDir: dir, nickGraceSecs: 0 }));
    base = `http://127.0.0.1:${port}/`;
  });
  after(async () => {
    for (const c of clients) await c.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Signs up `name` on the sign-in API and opens a chat signed in with its cookie. */
  async function signedIn(name: string, room: string, lang = 'en'): Promise<JsonClient> {
    const r = await api(base, 'api/register', { name, password: `a senha de ${name}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const c = await JsonClient.open(url, { headers: { Cookie: `tomada_session=${r.cookie!}` } });
    clients.push(c);
    c.send({ type: 'hello', nick: name, lang });
    const welcome = await c.next((m) => m.type === 'welcome');
    assert.equal(welcome.account, name);
    c.send({ type: 'join', room });
    await c.next((m) => m.type === 'joined' && m.room === room);
    return c;
  }
  async function answer(c: JsonClient, room: string, ref: string): Promise<Json> {
    c.send({ type: 'register', ref, room });
    return c.next((m) => m.ref === ref);
  }
  const error = (code: string, text: string, room: string) => ({ type: 'error', code, text, room });
  const strip = ({ type, code, text, room, account }: Json) =>
    Object.fromEntries(Object.entries({ type, code, text, room, account }).filter(([, v]) => v !== undefined));

  it('needs a signed-in operator of the room; the founder is an operator on every join', async () => {
    const gil = await JsonClient.chat(url, 'gil', '#casa');
    clients.push(gil);
    assert.deepEqual(
      strip(await answer(gil, '#casa', 'g1')),
      error('NOT_SIGNED_IN', 'Sign in to your account first ("Have an account?" on the first screen).', '#casa'),
    );
    const ana = await signedIn('ana', '#casa');
    assert.deepEqual(
      strip(await answer(ana, '#casa', 'a1')),
      error('NOT_ROOM_OP', 'You are not an operator of #casa.', '#casa'),
    );
    assert.deepEqual(
      strip(await answer(ana, '#outra', 'a2')),
      error('NOT_IN_ROOM', 'You are not in #outra.', '#outra'),
    );

    // In Portuguese, and the room's name as the server spells it.
    const bia = await signedIn('bia', '#bia', 'pt-BR');
    assert.deepEqual(strip(await answer(bia, '#BIA', 'b1')), {
      type: 'registered',
      room: '#bia',
      account: 'bia',
      text: '#bia agora é registrada para bia: o tópico e os modos ficam guardados, e você vira operador a cada entrada.',
    });
    assert.deepEqual(
      strip(await answer(bia, '#bia', 'b2')),
      error('ROOM_ALREADY_REGISTERED', '#bia já é registrada.', '#bia'),
    );

    // Someone else comes in; the founder leaves and comes back: she is an operator again, not them.
    ana.send({ type: 'join', room: '#bia' });
    await ana.next((m) => m.type === 'joined' && m.room === '#bia');
    bia.send({ type: 'part', room: '#bia' });
    await ana.next((m) => m.type === 'presence' && m.event === 'part' && m.nick === 'bia');
    bia.send({ type: 'join', room: '#bia' });
    await bia.next((m) => m.type === 'joined' && m.room === '#bia');
    // The server makes her an operator just after the join: every page gets the room's members again.
    const ops = (m: Json) => (m.members as Array<{ nick: string; op: boolean }>).filter((x) => x.op).map((x) => x.nick);
    for (const c of [ana, bia])
      assert.deepEqual(ops(await c.next((m) => m.type === 'members' && m.room === '#bia' && ops(m).length > 0)), [
        'bia',
      ]);
  });

  it('a room name that is not one is refused before it reaches the registry', async () => {
    const c = await JsonClient.chat(url, 'hugo', '#geral');
    clients.push(c);
    c.send({ type: 'register', ref: 'h1', room: '' });
    const e = await c.next((m) => m.ref === 'h1');
    assert.equal(e.code, 'BAD_MESSAGE');
  });
});

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { lineServer } from '../helpers/chat-server.js';
import type { ChatServer } from '../../src/server/chat-server.js';

const servers: ChatServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

describe('tomada bench chat against a running tomada', () => {
  it("talks in a room of its own (#bench), says so, and leaves the default room's history alone", async () => {
    const { server, port } = await lineServer();
    servers.push(server);
    const args = ['bench', 'chat', '--proto', 'line', '--port', String(port), '--clients', '3', '--senders', '1'];
    const r = await runCli([...args, '--rate', '20', '--duration', '1', '--warmup', '0', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^bench clients talk in #bench$/m);
    const report = JSON.parse(r.stdout) as { sent: number; lost: number };
    assert.ok(report.sent > 0);
    assert.equal(report.lost, 0);
    assert.equal((await server.hub.roomHistory('#geral', { limit: 100 })).length, 0);
    assert.equal((await server.hub.roomHistory('#bench', { limit: 1000 })).length, report.sent);
    const other = await runCli([...args, '--rate', '5', '--duration', '1', '--warmup', '0', '--room', '#carga']);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stderr, /^bench clients talk in #carga$/m);
    assert.ok((await server.hub.roomHistory('#carga', { limit: 1000 })).length > 0);
    const bad = await runCli([...args, '--room', 'geral']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^tomada: error: invalid --room "geral": a room name starts with #/);
  });
});

'use strict';
const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const { startHost, call, generateToken, jwtPayload, connect, sleep, tempDb } = require('./helpers');

describe('a bot restart in the middle of a conversation', () => {
  let host;
  let client;
  after(async () => { client?.close(); await host?.stop(); });

  it('the WebSocket client reconnects with its watermark and misses nothing, in order', async () => {
    const db = tempDb('restart');
    host = await startHost({ db });
    const { token, conversationId } = await generateToken(host);
    const user = jwtPayload(token).user;
    client = connect({ domain: host.domain, token, webSocket: true });
    const before = await client.post({ type: 'message', text: 'before', from: { id: 'x' } });
    await client.waitFor(all => all.some(a => a.replyToId === before), 'the reply before the restart');

    await host.kill();
    await sleep(500);
    host = await startHost({ db, port: host.port });

    // The conversation goes on while the client is still away (same store, same signing key: the token still works).
    const during = await call(host, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text: 'during', from: { id: 'x' } });
    assert.equal(during.status, 200);
    await client.waitFor(all => all.some(a => a.replyToId === during.body.id), 'the reply posted while the client reconnected', 30000);
    const after = await client.post({ type: 'message', text: 'after', from: { id: 'x' } });
    await client.waitFor(all => all.some(a => a.replyToId === after), 'the reply after the restart');

    const ids = client.activities.filter(a => a.type === 'message').map(a => a.id);
    assert.equal(new Set(ids).size, ids.length, 'nothing arrived twice');
    const log = (await call(host, 'GET', `/conversations/${conversationId}/activities`, token)).body.activities;
    assert.deepEqual([...ids].sort(), log.map(a => a.id).sort(), 'the client saw exactly the conversation\'s log: nothing missing, nothing extra');
    assert.deepEqual(log.map(a => a.text.split(' | ')[0]), [`welcome ${user}`, 'before', 'echo: before', 'during', 'echo: during', 'after', 'echo: after']);
    // In the log's order, strictly. This failed about 1 run in 4–8 while the stream batched a replay into one frame:
    // DirectLineJS emits a frame's activities one per timer tick, merged with the next frame's, so the replay
    // [welcome, before] followed at once by [echo: before] came out welcome, echo: before, before. The stream now
    // sends one activity per frame (DirectLine/README.md, "Stream").
    assert.deepEqual(ids, log.map(a => a.id), 'the client saw the conversation\'s log in order');
  });
});

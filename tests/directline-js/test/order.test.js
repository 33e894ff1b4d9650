'use strict';
const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const { startHost, call, generateToken, connect } = require('./helpers');

// DirectLineJS emits each stream frame's activities one per timer tick, merged with the frames after it: a frame of
// several followed by another frame reaches the page interleaved. A rejoin replay longer than one log page (200) was two
// frames back to back, [200] then [1], and came out of order every time; one activity per frame keeps the log's order.
describe('the order DirectLineJS shows', () => {
  let host;
  let client;
  after(async () => { client?.close(); await host?.stop(); });

  it('a rejoin that replays more than one page of the log emits it in the log\'s order', async () => {
    host = await startHost({ settings: { 'DirectLine:MaxPostsPerWindow': '1000', 'DirectLine:MaxReadsPerWindow': '1000' } });
    const { token, conversationId } = await generateToken(host);
    assert.equal((await call(host, 'POST', '/conversations', token)).status, 201);
    for (let i = 0; i < 100; i++) {
      assert.equal((await call(host, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text: `m${i}`, from: { id: 'x' } })).status, 200);
    }
    const log = [];
    for (let watermark = ''; ;) {
      const { body } = await call(host, 'GET', `/conversations/${conversationId}/activities?watermark=${watermark}`, token);
      if (body.activities.length === 0) break;
      log.push(...body.activities.map(a => a.id));
      watermark = body.watermark;
    }
    assert.equal(log.length, 201, 'the welcome, 100 messages and 100 replies are logged');

    client = connect({ domain: host.domain, token, conversationId, webSocket: true });
    await client.waitFor(all => all.length >= log.length, 'the whole replay');
    assert.deepEqual(client.activities.map(a => a.id), log, 'the replay in the log\'s order, nothing missing or twice');
  });
});

'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { SECRET, ConnectionStatus, startHost, call, generateToken, jwtPayload, connect, sleep } = require('./helpers');

describe('botframework-directlinejs against the bot\'s own Direct Line', () => {
  let host;
  const clients = [];
  const open = options => { const client = connect({ domain: host.domain, ...options }); clients.push(client); return client; };

  before(async () => { host = await startHost(); });
  after(async () => { clients.forEach(client => client.close()); await host?.stop(); });

  for (const webSocket of [false, true]) {
    const mode = webSocket ? 'WebSocket' : 'polling';

    it(`${mode}: greets, echoes the post with its id and clientActivityID, and the bot sees the token's user whatever from.id says`, async () => {
      const { token } = await generateToken(host);
      const user = jwtPayload(token).user;
      assert.match(user, /^dl_/);
      const client = open({ token, webSocket, pollingInterval: 200 });
      await client.waitFor(all => all.some(a => a.text === `welcome ${user}`), 'the greeting');

      const id = await client.post({ type: 'message', text: `hi over ${mode}`, from: { id: 'admin', name: 'Mallory' }, channelData: { clientActivityID: `client-${mode}` } });
      assert.match(id, /\|\d{7}$/);
      await client.waitFor(all => all.some(a => a.replyToId === id), 'the reply');
      const echo = client.activities.find(a => a.id === id);
      assert.equal(echo.channelData.clientActivityID, `client-${mode}`);
      assert.equal(echo.from.id, user);
      assert.equal(echo.from.role, 'user');
      const reply = client.activities.find(a => a.replyToId === id);
      assert.equal(reply.text, `echo: hi over ${mode} | from=${user} | channel=directline`);
      assert.equal(reply.from.role, 'bot');
      assert.equal(client.statuses.at(-1), ConnectionStatus.Online);
    });
  }

  it('WebSocket: typing arrives on the stream before the message it announces, and never on GET', async () => {
    const { token, conversationId } = await generateToken(host);
    const client = open({ token, webSocket: true });
    await client.waitFor(all => all.some(a => a.text?.startsWith('welcome')), 'the greeting');
    const id = await client.post({ type: 'message', text: 'typing', from: { id: 'x' } });
    await client.waitFor(all => all.some(a => a.replyToId === id && a.type === 'message'), 'the reply');
    const types = client.activities.filter(a => a.replyToId === id).map(a => a.type);
    assert.deepEqual(types, ['typing', 'message']);
    const polled = await call(host, 'GET', `/conversations/${conversationId}/activities`, client.directLine.token);
    assert.ok(!polled.body.activities.some(a => a.type === 'typing'));
  });

  it('a client retry of the same POST (same clientActivityID) gets the same id and runs one turn', async () => {
    const { token, conversationId } = await generateToken(host);
    const client = open({ token, webSocket: false, pollingInterval: 200 });
    await client.waitFor(all => all.some(a => a.text?.startsWith('welcome')), 'the greeting');
    const activity = { type: 'message', text: 'pay my balance', from: { id: 'x' }, channelData: { clientActivityID: 'retry-1' } };
    const first = await client.post({ ...activity });
    const second = await client.post({ ...activity });
    assert.equal(second, first);
    await client.waitFor(all => all.some(a => a.replyToId === first), 'the reply');
    await sleep(500);
    const log = (await call(host, 'GET', `/conversations/${conversationId}/activities`, token)).body.activities;
    assert.equal(log.filter(a => a.text === 'pay my balance').length, 1);
    assert.equal(log.filter(a => a.replyToId === first).length, 1);
  });

  it('resumes from its watermark after reconnecting: nothing missed, nothing twice', async () => {
    const { token, conversationId } = await generateToken(host);
    const first = open({ token, webSocket: false, pollingInterval: 200 });
    const id = await first.post({ type: 'message', text: 'one', from: { id: 'x' } });
    await first.waitFor(all => all.some(a => a.replyToId === id), 'the first reply');
    await sleep(400);
    const watermark = first.directLine.watermark;
    const seen = first.activities.map(a => a.id);
    first.close();

    // While no client is connected, the conversation goes on.
    const missed = await call(host, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text: 'while away', from: { id: 'x' } });
    assert.equal(missed.status, 200);

    const second = open({ token, conversationId, watermark, webSocket: true });
    await second.waitFor(all => all.some(a => a.replyToId === missed.body.id), 'the missed reply');
    const texts = second.activities.map(a => a.text);
    assert.deepEqual(texts.slice(0, 2), ['while away', `echo: while away | from=${jwtPayload(token).user} | channel=directline`]);
    assert.ok(!second.activities.some(a => seen.includes(a.id)), 'nothing before the watermark comes again');
  });

  it('refreshes its token (tokens/refresh) for the same user and conversation, and the new token works', async () => {
    const { token, conversationId } = await generateToken(host);
    const client = open({ token, webSocket: false, pollingInterval: 200 });
    await client.waitFor(all => all.some(a => a.text?.startsWith('welcome')), 'the greeting');
    const refreshed = await new Promise((resolve, reject) => client.directLine.refreshToken().subscribe(resolve, reject));
    assert.notEqual(refreshed, token);
    assert.equal(jwtPayload(refreshed).user, jwtPayload(token).user);
    assert.equal(jwtPayload(refreshed).conv, conversationId);
    client.directLine.token = refreshed; // what DirectLineJS's refresh loop does every 15 minutes
    const id = await client.post({ type: 'message', text: 'after refresh', from: { id: 'x' } });
    await client.waitFor(all => all.some(a => a.replyToId === id), 'the reply');
  });

  it('another conversation\'s token is 403: DirectLineJS fails to connect to it', async () => {
    const mine = await generateToken(host);
    const theirs = await generateToken(host);
    assert.equal((await call(host, 'GET', `/conversations/${theirs.conversationId}/activities`, mine.token)).status, 403);
    const client = open({ token: mine.token, conversationId: theirs.conversationId, webSocket: false });
    await client.waitForStatus(ConnectionStatus.FailedToConnect);
  });

  it('the stream sends empty keep-alive frames and ActivitySets', async () => {
    const { token } = await generateToken(host);
    const started = await call(host, 'POST', '/conversations', token);
    assert.equal(started.status, 201);
    assert.deepEqual(Object.keys(started.body), ['conversationId', 'token', 'expires_in', 'streamUrl']);
    const frames = [];
    const socket = new WebSocket(started.body.streamUrl);
    socket.on('message', data => frames.push(data.toString()));
    try {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && !(frames.includes('') && frames.some(f => f.startsWith('{')))) await sleep(50);
      assert.ok(frames.includes(''), 'a keep-alive frame');
      const set = JSON.parse(frames.find(f => f.startsWith('{')));
      assert.deepEqual(Object.keys(set), ['activities', 'watermark']);
      assert.equal(typeof set.watermark, 'string');
    } finally {
      socket.close();
    }
  });

  it('without a registered session binding sink, a binding is refused (501), never silently accepted', async () => {
    const { status, body } = await call(host, 'POST', '/tokens/generate', SECRET, { binding: { sessionId: 'aria-session' } });
    assert.equal(status, 501);
    assert.equal(body.error.code, 'NotImplemented');
  });
});

'use strict';
// Two real bot processes on loopback over one PostgreSQL (docs/scale-out.md). Instance A hosts the Aria sandbox and B
// calls it over HTTP (Aria:BaseUrl), so both write to one Aria and one call log. The test alternates one conversation's
// messages between the two, sends some to both at once, listens on a WebSocket at each instance, signs in through a
// link made on A but opened on B, and kills B mid-conversation: A carries on.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { startBot, launchBrowser, waitFor, sleep, ROOT } = require('./harness');

const SECRET = 'scale-out-suite-direct-line-secret-0123456789';
const SIGNING_KEY = Buffer.alloc(32, 7).toString('base64');

/** A fresh database on the test PostgreSQL (scripts/postgres.sh), or why there is none. */
function database() {
  try {
    const base = execFileSync(path.join(ROOT, 'scripts/postgres.sh'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    const port = /Port=(\d+)/.exec(base)[1];
    const name = `scaleout_${Date.now()}`;
    execFileSync('psql', ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-qc', `create database ${name}`], { stdio: 'ignore' });
    return { connectionString: base.replace(/Database=[^;]+/, `Database=${name}`) };
  } catch (error) {
    return { skip: `PostgreSQL could not be started for the scale-out test: ${error.message.split('\n')[0]}` };
  }
}

const pg = database();

describe('two instances over one PostgreSQL', { skip: pg.skip }, () => {
  let a;
  let b;
  let browser;
  let page;
  const shared = () => ({
    State__Provider: 'Postgres',
    State__PostgresConnectionString: pg.connectionString,
    DirectLine__Secrets__0: SECRET,
    DirectLine__SigningKey: SIGNING_KEY,
    Bot__TurnQueueTimeout: '00:00:30',
    // Longer than the test waits: a socket hears another instance's replies only through LISTEN/NOTIFY, not the idle tick.
    DirectLine__KeepAliveInterval: '00:10:00',
  });

  before(async () => {
    a = await startBot({ settings: shared() });
    // Behind a balancer both instances serve one origin; here the page lives on A's, so B is told to accept it.
    b = await startBot({ settings: { ...shared(), Aria__UseSandbox: 'false', Aria__BaseUrl: `${a.url}/aria-sandbox`, DirectLine__AllowedOrigins__0: a.url } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(`${a.url}/healthz`);
  });
  after(async () => {
    await browser?.close();
    await b?.stop();
    await a?.stop();
  });

  const dl = async (bot, method, route, token, body) => {
    const response = await bot.fetch(`/v3/directline${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${route} on ${bot.url} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  /** Opens a WebSocket from the browser and keeps every frame's activities in window.frames[name]. */
  const listen = (name, streamUrl) => page.evaluate(([socketName, url]) => new Promise((resolve, reject) => {
    window.sockets = window.sockets || {};
    window.seen = window.seen || {};
    window.seen[socketName] = [];
    const socket = new WebSocket(url);
    socket.onmessage = event => {
      if (event.data) for (const activity of JSON.parse(event.data).activities || []) window.seen[socketName].push(activity);
    };
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error(`WebSocket ${socketName} failed`));
    window.sockets[socketName] = socket;
  }), [name, streamUrl]);

  const seen = name => page.evaluate(socketName => window.seen[socketName], name);
  const botReplies = activities => activities.filter(activity => activity.from?.role === 'bot' || activity.from?.id !== 'scale-user');

  it('answers every message once, whichever instance got it, and both sockets hear every reply', async () => {
    const started = await dl(a, 'POST', '/conversations', SECRET, { user: { id: 'scale-user' } });
    const { conversationId, token } = started;
    // The token made by A is accepted by B (one signing key, one conversation store).
    const onB = await dl(b, 'GET', `/conversations/${conversationId}`, token);
    await listen('a', started.streamUrl);
    await listen('b', onB.streamUrl);

    const posted = [];
    const post = async (bot, text) => {
      const { id } = await dl(bot, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', from: { id: 'scale-user' }, text, locale: 'en-US' });
      posted.push(id);
    };
    // A message only A runs reaches the socket at B (nothing ran on B yet that could make it read its log).
    await post(a, 'hi');
    await waitFor(async () => botReplies(await seen('b')).some(reply => reply.replyToId === posted[0]), 'B\'s socket hearing A\'s reply', 20000);
    // Alternately, then several at once to both.
    for (const [i, text] of ['hi', 'help', 'what can you do', 'help'].entries()) {
      await post(i % 2 ? b : a, text);
    }
    await Promise.all([post(a, 'help'), post(b, 'hi'), post(a, 'what can you do'), post(b, 'help')]);

    const answered = async name => {
      const replies = botReplies(await seen(name));
      return posted.every(id => replies.some(reply => reply.replyToId === id)) ? replies : null;
    };
    const onA = await waitFor(() => answered('a'), 'every message answered on the socket at A', 45000);
    const onBSocket = await waitFor(() => answered('b'), 'every message answered on the socket at B', 45000);
    await sleep(500);
    for (const [name, replies] of [['a', botReplies(await seen('a'))], ['b', botReplies(await seen('b'))]]) {
      const ids = replies.map(reply => reply.id);
      assert.equal(new Set(ids).size, ids.length, `socket ${name} got a reply twice`);
    }
    assert.deepEqual(new Set(onA.map(reply => reply.id)), new Set(onBSocket.map(reply => reply.id)), 'both sockets heard the same replies');

    // Each message ran exactly once: the log holds as many answers to it as the socket heard, and no message's answer is repeated.
    const log = await dl(b, 'GET', `/conversations/${conversationId}/activities`, token);
    for (const id of posted) {
      const texts = log.activities.filter(activity => activity.replyToId === id).map(activity => activity.text ?? '');
      const half = texts.length / 2;
      assert.ok(texts.length > 0, `message ${id} was answered`);
      assert.ok(!(Number.isInteger(half) && half > 0 && texts.slice(0, half).join('\n') === texts.slice(half).join('\n')), `message ${id} was answered twice: ${texts.join(' | ')}`);
    }
  });

  /**
   * Signs a fresh conversation in as alice through a link made by `maker` and opened on `opener` (behind a balancer
   * either may serve the page); the code is typed into the chat at `typedOn`. Returns the conversation's helpers.
   */
  const signedInConversation = async (userId, { maker, opener, typedOn }) => {
    const started = await dl(maker, 'POST', '/conversations', SECRET, { user: { id: userId } });
    const { conversationId, token } = started;
    const send = (bot, text) => dl(bot, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', from: { id: userId }, text, locale: 'en-US' });
    const log = async () => (await dl(maker, 'GET', `/conversations/${conversationId}/activities`, token)).activities;
    const repliesTo = async id => (await log()).filter(activity => activity.replyToId === id);
    const answer = async (id, pattern, what, timeout = 60000) => waitFor(async () => {
      const texts = (await repliesTo(id)).map(activity => `${activity.text ?? ''} ${JSON.stringify(activity.attachments ?? [])}`);
      return texts.some(text => pattern.test(text)) ? texts : null;
    }, what, timeout);

    const asked = await send(maker, 'I want to sign in');
    const link = await waitFor(async () => {
      const match = /https?:\/\/[^"\\]+\/signin\?state=[^"\\]+/.exec(JSON.stringify(await repliesTo(asked.id)));
      return match?.[0];
    }, 'the sign-in link', 60000);
    const moved = new URL(link);
    moved.host = new URL(opener.url).host;
    const signin = await browser.context.newPage();
    try {
      await signin.goto(moved.toString());
      await signin.locator('#userId').fill('alice');
      await signin.locator('#password').fill('alice-demo-1');
      await Promise.all([signin.waitForLoadState(), signin.locator('button[type="submit"]').click()]);
      const code = (await signin.locator('p.code').innerText({ timeout: 20000 })).replace(/\D/g, '');
      assert.match(code, /^\d{6}$/);
      const typed = await send(typedOn, code);
      await waitFor(async () => (await repliesTo(typed.id)).length > 0, 'the answer to the code', 60000);
    } finally {
      await signin.close();
    }
    return { conversationId, token, send, log, repliesTo, answer };
  };

  it('writes a plan switch confirmed on both instances at once exactly once, and answers each message once', async () => {
    const ALICE = 1000001;
    const chat = await signedInConversation('scale-user-3', { maker: b, opener: a, typedOn: b });
    const before = await a.sandbox.writes({ acct_no: ALICE });

    const wanted = await chat.send(b, 'switch my plan');
    await chat.answer(wanted.id, /Which plan would you like/, 'the plans offered');
    // The preview runs on A: Aria's do_write=false answer, shown as a card; nothing written yet.
    const picked = await chat.send(a, 'Premium');
    await chat.answer(picked.id, /Switch from Standard to Premium/, 'the preview');
    assert.equal((await a.sandbox.writes({ acct_no: ALICE })).length, before.length, 'no write before the confirmation');

    // The customer's "yes" reaches both instances at the same moment (a retry through another balancer path).
    const yeses = await Promise.all([chat.send(a, 'yes'), chat.send(b, 'yes')]);
    for (const yes of yeses) {
      await waitFor(async () => (await chat.repliesTo(yes.id)).length > 0, `an answer to the yes sent as ${yes.id}`, 60000);
    }
    await sleep(1500); // anything sent twice would have shown up by now

    const writes = (await a.sandbox.writes({ acct_no: ALICE })).slice(before.length);
    assert.equal(writes.length, 1, `exactly one write in the sandbox's call log: ${JSON.stringify(writes)}`);
    assert.equal(writes[0].rest_call, 'replace_acct_plan_m');
    const master = (await a.sandbox.plans(ALICE)).find(plan => plan.supp_plan_ind !== 1);
    assert.equal(master.plan_no, 13, 'alice is on Premium');

    const log = await chat.log();
    const done = log.filter(activity => /now on Premium/.test(activity.text ?? ''));
    assert.equal(done.length, 1, `"now on Premium" said exactly once: ${JSON.stringify(log.map(activity => activity.text))}`);
    const ids = log.map(activity => activity.id);
    assert.equal(new Set(ids).size, ids.length, 'no activity logged twice');
    for (const yes of yeses) {
      const texts = (await chat.repliesTo(yes.id)).map(activity => activity.text ?? '');
      const half = texts.length / 2;
      assert.ok(!(Number.isInteger(half) && half > 0 && texts.slice(0, half).join('\n') === texts.slice(half).join('\n')), `the yes ${yes.id} was answered twice: ${texts.join(' | ')}`);
    }
  });

  it('signs in through a link made on one instance and opened on the other, and carries on when an instance dies', async () => {
    const started = await dl(a, 'POST', '/conversations', SECRET, { user: { id: 'scale-user-2' } });
    const { conversationId, token } = started;
    const send = (bot, text) => dl(bot, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', from: { id: 'scale-user-2' }, text, locale: 'en-US' });
    const log = () => dl(a, 'GET', `/conversations/${conversationId}/activities`, token);

    const asked = await send(a, 'I want to sign in');
    const link = await waitFor(async () => {
      const json = JSON.stringify((await log()).activities.filter(activity => activity.replyToId === asked.id));
      const match = /https?:\/\/[^"\\]+\/signin\?state=[^"\\]+/.exec(json);
      return match?.[0];
    }, 'the sign-in link', 60000);
    // Opened on B: the link, its page and its antiforgery token are shared.
    const onB = new URL(link);
    onB.host = new URL(b.url).host;
    const signin = await browser.context.newPage();
    await signin.goto(onB.toString());
    await signin.locator('#userId').fill('alice');
    await signin.locator('#password').fill('alice-demo-1');
    await Promise.all([signin.waitForLoadState(), signin.locator('button[type="submit"]').click()]);
    const code = (await signin.locator('p.code').innerText({ timeout: 20000 })).replace(/\D/g, '');
    assert.match(code, /^\d{6}$/);
    await signin.close();

    const typed = await send(b, code);
    await waitFor(async () => (await log()).activities.some(activity => activity.replyToId === typed.id), 'the answer to the code', 60000);
    const validations = await a.sandbox.calls({ rest_call: 'validate_session_m', acct_no: 1000001 });
    assert.ok(validations.some(call => call.error_code === 0), 'the chat validated alice\'s session (one Aria behind both)');

    // B is killed mid-conversation, right after accepting a message (its turn may be running, holding the lease):
    // A carries on with the same conversation once B's lease runs out, and never runs B's message twice.
    const lost = await send(b, 'help');
    await b.kill();
    const after = await send(a, 'what can you do');
    await waitFor(async () => (await log()).activities.some(activity => activity.replyToId === after.id), 'A answering after B died', 90000);
    const answersToLost = (await log()).activities.filter(activity => activity.replyToId === lost.id).map(activity => activity.text ?? '');
    const half = answersToLost.length / 2;
    assert.ok(!(Number.isInteger(half) && half > 0 && answersToLost.slice(0, half).join('\n') === answersToLost.slice(half).join('\n')),
      `B's last message was answered twice: ${answersToLost.join(' | ')}`);
  });
});

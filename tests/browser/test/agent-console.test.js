'use strict';
// The support agents' console (/agent) in Chromium against the real bot: a customer in the customer page asks for a
// person and types an HTML payload; the agent signs in, sees the conversation in the live queue, accepts, reads the
// payload as text (nothing runs, no element is made of it), replies, and ends; the customer gets the bot back.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startBot, openPage, waitFor } = require('./harness');

const PASSWORD = 'console-test-password-1';
const PAYLOAD = '<img src=x onerror=alert(1)>';

/** ASP.NET Core Identity's PasswordHasher V3 format: 0x01, PRF (HMAC-SHA256 = 1), iterations, salt length, salt, 32-byte subkey. */
function identityHash(password) {
  const salt = crypto.randomBytes(16);
  const iterations = 100000;
  const subkey = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const header = Buffer.alloc(13);
  header.writeUInt8(1, 0);
  header.writeUInt32BE(1, 1);
  header.writeUInt32BE(iterations, 5);
  header.writeUInt32BE(salt.length, 9);
  return Buffer.concat([header, salt, subkey]).toString('base64');
}

describe('the support agents\' console', () => {
  let bot;
  before(async () => {
    bot = await startBot({
      settings: {
        Handoff__Enabled: 'true',
        Handoff__QueuePollInterval: '00:00:00.500',
        Handoff__Agents__0__Login: 'dana@example.com',
        Handoff__Agents__0__DisplayName: 'Dana',
        Handoff__Agents__0__PasswordHash: identityHash(PASSWORD),
      },
    });
  });
  after(async () => { await bot?.stop(); });

  it('signs in, accepts from the live queue, shows the customer\'s HTML as text, replies and ends', async () => {
    const customer = await openPage(bot);
    const agent = await openPage(bot, { route: '/agent/' });
    const dialogs = [];
    agent.page.on('dialog', async dialog => { dialogs.push(dialog.message()); await dialog.dismiss(); });
    try {
      await customer.waitForChat();
      await customer.waitForBotText(/\S/);
      await customer.sendText('talk to a person');
      await customer.waitForBotText(/connecting you with a person/);
      await customer.sendText(PAYLOAD);

      // Sign in.
      const page = agent.page;
      await page.locator('#login').fill('dana@example.com');
      await page.locator('#password').fill(PASSWORD);
      await page.locator('#sign-in-form button[type="submit"]').click();
      await page.locator('#agent-name', { hasText: 'Dana' }).waitFor({ timeout: 20000 });

      // The live queue shows the waiting customer; open and accept.
      const entry = page.locator('#queue button').first();
      await entry.waitFor({ timeout: 20000 });
      assert.match(await entry.textContent(), /Waiting .* directline · CustomerAsked/);
      await entry.click();
      await page.locator('#accept:not([hidden])').click();
      await customer.waitForBotText(/Dana from our support team has joined the chat/);
      await page.locator('#reply-form:not([hidden])').waitFor({ timeout: 20000 });

      // The payload is shown exactly as typed, as text: no element was made of it and nothing ran.
      const shown = await waitFor(async () => {
        const texts = await page.locator('#messages li[data-from="customer"] .text').allTextContents();
        return texts.includes(PAYLOAD) ? texts : null;
      }, 'the customer\'s message in the console');
      assert.ok(shown.includes(PAYLOAD));
      assert.equal(await page.locator('#case img').count(), 0);
      assert.deepEqual(dialogs, []);

      // Reply; the customer reads it in their chat.
      await page.locator('#reply').fill('Hello, this is Dana. How can I help?');
      await page.locator('#reply-form button[type="submit"]').click();
      await customer.waitForBotText(/Hello, this is Dana\. How can I help\?/);

      // End: the customer has the bot back.
      await page.locator('#end:not([hidden])').click();
      await customer.waitForBotText(/Dana has left the chat/);
      await page.locator('#reply-form[hidden]').waitFor({ state: 'attached', timeout: 20000 });

      await page.locator('#load-history').click();
      await page.locator('#history tbody tr', { hasText: 'Completed' }).waitFor({ timeout: 20000 });

      assert.deepEqual(dialogs, []);
      assert.deepEqual(await agent.problems(), []);
      assert.deepEqual(await customer.problems(), []);
    } finally {
      await agent.close();
      await customer.close();
    }
  });

  it('refuses a wrong password with a plain message and serves the console with a strict policy', async () => {
    const agent = await openPage(bot, { route: '/agent/' });
    try {
      const csp = agent.response.headers()['content-security-policy'];
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      await agent.page.locator('#login').fill('dana@example.com');
      await agent.page.locator('#password').fill('not-the-password');
      await agent.page.locator('#sign-in-form button[type="submit"]').click();
      await agent.page.locator('#sign-in-error', { hasText: 'The login or the password is wrong.' }).waitFor({ timeout: 20000 });
      assert.equal(await agent.page.locator('#desk').isHidden(), true);
    } finally {
      await agent.close();
    }
  });
});

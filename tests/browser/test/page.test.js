'use strict';
// The customer page in Debian's Chromium against the real bot in Development (sandbox Aria, demo portal).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startBot, openPage, waitFor } = require('./harness');

describe('the customer page (Development, sandbox)', () => {
  let bot;
  before(async () => { bot = await startBot(); });
  after(async () => { await bot?.stop(); });

  it('loads with no console errors and no CSP violations, the chat greets, and axe finds no violations', async () => {
    const page = await openPage(bot);
    try {
      assert.equal(page.response.status(), 200);
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      assert.equal(await page.page.locator('#demo-panel').isVisible(), true, 'the demo picker is shown in Development');
      assert.equal(await page.page.locator('button.demo-account').count(), (await bot.sandbox.demoAccounts()).length);
      // Web Chat's own pieces: no upload button, our avatar, the send box labelled for screen readers.
      assert.equal(await page.page.locator('.webchat__upload-button').count(), 0);
      assert.ok(await page.page.locator('img[src="/img/assistant-avatar.svg"]').count() > 0);
      assert.deepEqual(await page.accessibilityViolations(), []);
      await page.screenshot('page-signed-out');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('signed out: typing a message gets a bot reply after it', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      await page.sendText('hello from the browser suite');
      await waitFor(async () => {
        const roles = await page.transcriptRoles();
        const mine = roles.lastIndexOf('user');
        return mine >= 0 && roles.slice(mine + 1).includes('bot');
      }, 'a bot message after the customer\'s');
      await page.screenshot('chat-signed-out');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('picking a demo customer signs the portal in, the chat restarts bound to the account, greets and replies; signing out clears it', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      assert.equal(await page.page.locator('#account-name').innerText(), 'Alice Martin');
      assert.equal(await page.page.locator('#fact-plan').innerText(), 'Standard');
      assert.match(await page.page.locator('#fact-payment').innerText(), /4242/);
      // The login lives in an HttpOnly, SameSite=Strict cookie: the page's script cannot read it.
      assert.equal(await page.page.evaluate(() => document.cookie.includes('ariabot-portal')), false);
      const cookie = (await page.browser.context.cookies()).find(c => c.name === 'ariabot-portal');
      assert.ok(cookie, 'the portal cookie is set');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Strict');

      // A new conversation for alice: it greets, and a message gets a reply after it.
      await page.waitForBotText(/\S/);
      await page.sendText('hello, this is Alice');
      await waitFor(async () => {
        const roles = await page.transcriptRoles();
        const mine = roles.lastIndexOf('user');
        return mine >= 0 && roles.slice(mine + 1).includes('bot');
      }, 'a bot message after the customer\'s');
      // The portal created the Aria session server-side (set_session_m) and the bot validated it when binding.
      const sessions = await bot.sandbox.calls({ rest_call: 'set_session_m', acct_no: 1000001 });
      assert.ok(sessions.length >= 1, 'set_session_m for alice');
      await page.screenshot('page-signed-in');

      await page.page.locator('#sign-out').click();
      await page.page.locator('#account-signed-out:not([hidden])').waitFor({ timeout: 20000 });
      assert.equal(await page.page.locator('#account-chip').isVisible(), false);
      await page.waitForChat();
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('works from the keyboard: the skip link leads to the chat, and the send box takes typing', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.page.keyboard.press('Tab');
      assert.equal(await page.page.evaluate(() => document.activeElement?.className), 'skip-link');
      await page.page.keyboard.press('Enter');
      assert.equal(await page.page.evaluate(() => document.activeElement?.id), 'chat-panel');
      // From the chat panel, Tab reaches Web Chat (its transcript, then its send box) without the mouse.
      let reached = false;
      for (let i = 0; i < 6 && !reached; i++) {
        await page.page.keyboard.press('Tab');
        reached = await page.page.evaluate(() => document.activeElement?.getAttribute('data-id') === 'webchat-sendbox-input');
      }
      assert.ok(reached, 'Tab reaches the send box');
      await page.page.keyboard.type('typed without a mouse');
      await page.page.keyboard.press('Enter');
      await page.waitForUserText('typed without a mouse');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('switches to Spanish: the page, its lang attribute and Web Chat follow', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      const input = page.page.locator('[data-id="webchat-sendbox-input"]');
      const englishPlaceholder = await input.getAttribute('placeholder');
      await page.page.locator('#locale').selectOption('es-ES');
      assert.equal(await page.page.locator('html').getAttribute('lang'), 'es');
      assert.equal(await page.page.locator('#account-title').innerText(), 'Mi cuenta');
      await waitFor(async () => (await input.getAttribute('placeholder')) !== englishPlaceholder, 'Web Chat in Spanish');
      await page.screenshot('page-es-ES');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('follows the assistant into Spanish when the customer writes Spanish, and the picker still wins afterwards', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      assert.equal(await page.page.locator('#locale').inputValue(), 'en-US');
      await page.sendText('quiero pagar mi factura');
      await page.waitForBotText(/Sigo en español/);
      await waitFor(async () => (await page.page.locator('#locale').inputValue()) === 'es-ES', 'the picker on Spanish');
      assert.equal(await page.page.locator('html').getAttribute('lang'), 'es');
      assert.equal(await page.page.locator('#account-title').innerText(), 'Mi cuenta');
      // The customer picks English again: the next message says so, and the bot yields to the customer's pick.
      await page.page.locator('#locale').selectOption('en-US');
      await page.sendText('cancel');
      await page.waitForBotText(/Nothing was changed/);
      assert.equal(await page.page.locator('#locale').inputValue(), 'en-US');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('sends the security headers on the page and on the portal endpoints', async () => {
    const page = await bot.fetch('/');
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');

    const me = await bot.fetch('/portal/me');
    assert.equal(me.headers.get('cache-control'), 'no-store');
    assert.match(me.headers.get('content-security-policy'), /frame-ancestors 'none'/);

    const script = await bot.fetch('/lib/webchat.js');
    assert.equal(script.status, 200, 'the Web Chat bundle is served by the app');
    assert.equal(script.headers.get('x-content-type-options'), 'nosniff');
  });

  it('refuses a cross-site request for a chat token', async () => {
    const forged = await bot.fetch('/portal/chat-token', { method: 'POST', headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' } });
    assert.equal(forged.status, 403);
  });
});

describe('the customer page in Production', () => {
  let bot;
  before(async () => { bot = await startBot({ environment: 'Production' }); });
  after(async () => { await bot?.stop(); });

  it('has no demo picker: /portal/demo-accounts and the sandbox are 404, and the page still chats signed out', async () => {
    assert.equal((await bot.fetch('/portal/demo-accounts')).status, 404);
    assert.equal((await bot.fetch('/portal/demo-sign-in', { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' } })).status, 404);
    assert.equal((await bot.fetch('/aria-sandbox/admin/demo-accounts')).status, 404);
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      assert.equal(await page.page.locator('#demo-panel').isVisible(), false);
      assert.equal(await page.page.locator('button.demo-account').count(), 0);
      await page.screenshot('page-production');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });
});

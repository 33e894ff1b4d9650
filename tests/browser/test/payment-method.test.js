'use strict';
// Update payment information in a real browser: the chat lists the cards on file masked and sends a link to the
// bot's secure page; the card is typed there, never in the chat; the chat then shows only "Visa ending 5556, expires
// 08/YY". A link preview (GET) leaves the link usable; a used, expired or double-submitted link adds nothing more; a
// session that ended before the submit writes nothing; and the test card number is in no log line, database row,
// transcript or reply.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startBot, openPage, sleep, SCREENSHOTS } = require('./harness');

const ALICE = 1000001;
const CARD = '4000056655665556';
const CARD_TYPED = '4000 0566 5566 5556';
const CVV = '731';
const YEAR = String(new Date().getUTCFullYear() + 3);
const MASKED = new RegExp(`Visa ending 5556, expires 08/${YEAR.slice(2)}`);

/** Alice's active methods with the given last four digits, as Aria reports them. */
async function methodsEnding(bot, suffix) {
  const reply = await bot.sandbox.aria('get_acct_payment_methods_and_terms_m', { acct_no: String(ALICE) });
  return (reply.account_payment_methods ?? []).filter(method => method.suffix === suffix && method.status === 1);
}

/** Signs in as Alice through the demo portal, asks to update the card and returns the page's link (not opened). */
async function askForLink(page) {
  await page.waitForChat();
  await page.pickDemoAccount('Alice');
  await page.waitForBotText(/Hi Alice/);
  await page.sendText('update my card');
  await page.waitForBotText(/Here is what you have on file/);
  const listed = (await page.botTexts()).find(text => /Here is what you have on file/.test(text));
  assert.match(listed, /Visa ending 4242, expires 08\/\d\d/);
  await page.clickSuggestedAction('Replace my card');
  await page.waitForBotText(/Enter your card on our secure page/);
  return page.page.locator('.webchat__basic-transcript .webchat__bubble__content button', { hasText: 'Open the secure page' }).last();
}

async function fillCard(popup) {
  await popup.locator('#cardNumber').fill(CARD_TYPED);
  await popup.locator('#expiryMonth').fill('08');
  await popup.locator('#expiryYear').fill(YEAR);
  await popup.locator('#cvv').fill(CVV);
}

/** The hidden fields and the typed card, as the browser would post them. */
async function formOf(popup) {
  return {
    state: await popup.locator('input[name="state"]').inputValue(),
    __RequestVerificationToken: await popup.locator('input[name="__RequestVerificationToken"]').inputValue(),
    cardNumber: CARD_TYPED,
    expiryMonth: '08',
    expiryYear: YEAR,
    cvv: CVV,
  };
}

describe('the secure payment-method page', () => {
  let bot;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ariabot-paymethod-'));
  before(async () => {
    bot = await startBot({ settings: { State__SqlitePath: path.join(dataDir, 'ariabot.db'), Serilog__MinimumLevel__Default: 'Verbose' } });
  });
  after(async () => {
    await bot?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a card on the page; the chat shows it masked; a preview GET leaves the link usable; a reused link is refused', async () => {
    const page = await openPage(bot);
    try {
      const button = await askForLink(page);
      const [popup] = await Promise.all([page.browser.context.waitForEvent('page'), button.click()]);
      await popup.waitForLoadState();
      const link = popup.url();
      assert.match(link, new RegExp(`^${bot.url}/payment-method\\?state=`));

      // A link preview (a chat client unfurling the URL) is a GET: it must leave the link usable.
      const preview = await bot.fetch(new URL(link).pathname + new URL(link).search);
      assert.equal(preview.status, 200);
      assert.equal(preview.headers.get('cache-control'), 'no-store');
      assert.equal(preview.headers.get('referrer-policy'), 'no-referrer');
      assert.match(preview.headers.get('content-security-policy'), /frame-ancestors 'none'/);
      await popup.reload();

      await fillCard(popup);
      await Promise.all([popup.waitForLoadState(), popup.locator('button[type="submit"]').click()]);
      await popup.locator('h1', { hasText: 'Card saved' }).waitFor({ timeout: 20000 });
      assert.match(await popup.locator('main').innerText(), MASKED);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await popup.screenshot({ path: path.join(SCREENSHOTS, 'payment-method-saved.png') });

      // The chat is told, proactively, with the masked card only.
      const told = await page.waitForBotText(/Your card is saved/);
      assert.match(told, MASKED);
      await page.screenshot('payment-method-chat');
      assert.equal((await methodsEnding(bot, '5556')).length, 1, 'one method added');

      // The same link again (back button, a second tab): refused, nothing more added.
      const again = await popup.goto(link);
      assert.equal(again.status(), 410);
      assert.equal((await methodsEnding(bot, '5556')).length, 1);
      assert.deepEqual(await page.problems(), []);
      await popup.close();
    } catch (error) {
      await page.screenshot('payment-method-failure');
      error.message += `\n--- bot output (tail) ---\n${bot.output().slice(-4000)}`;
      throw error;
    } finally {
      await page.close();
    }
  });

  it('a double submit adds one method', async () => {
    await bot.sandbox.reset();
    const page = await openPage(bot);
    try {
      const button = await askForLink(page);
      const [popup] = await Promise.all([page.browser.context.waitForEvent('page'), button.click()]);
      await popup.waitForLoadState();
      const form = await formOf(popup);
      // Two posts of the same form at once, with the browser's own cookies (the antiforgery cookie).
      const request = popup.context().request;
      const answers = await Promise.all([
        request.post(`${bot.url}/payment-method`, { form, maxRedirects: 0 }),
        request.post(`${bot.url}/payment-method`, { form, maxRedirects: 0 }),
      ]);
      assert.deepEqual(answers.map(answer => answer.status()).sort(), [200, 410]);
      assert.equal((await methodsEnding(bot, '5556')).length, 1, 'one method for two submits');
      const updates = (await bot.sandbox.calls({ rest_call: 'update_payment_method_m', acct_no: ALICE })).filter(call => call.error_code === 0);
      assert.equal(updates.length, 1);
      await popup.close();
    } finally {
      await page.close();
    }
  });

  it('a session that ended before the submit writes nothing', async () => {
    await bot.sandbox.reset();
    const page = await openPage(bot);
    try {
      const button = await askForLink(page);
      const [popup] = await Promise.all([page.browser.context.waitForEvent('page'), button.click()]);
      await popup.waitForLoadState();
      await fillCard(popup);
      await bot.sandbox.clearCalls();
      // Aria says the session is no longer valid when the page checks it.
      await bot.sandbox.fault({ kind: 'error_code', rest_call: 'validate_session_m', error_code: 1011 });
      await Promise.all([popup.waitForLoadState(), popup.locator('button[type="submit"]').click()]);
      await popup.locator('h1', { hasText: 'Please sign in again' }).waitFor({ timeout: 20000 });
      const calls = await bot.sandbox.calls({ rest_call: 'update_payment_method_m' });
      assert.equal(calls.length, 0, 'no write after an ended session');
      assert.equal((await methodsEnding(bot, '5556')).length, 0);
      await popup.close();
    } finally {
      await bot.fetch('/aria-sandbox/admin/faults', { method: 'DELETE' });
      await page.close();
    }
  });

  it('the test card number and CVV are in no log line, database row, transcript or reply', async () => {
    // Typed into the chat by mistake as well: the bot answers with the secure page and keeps nothing.
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      await page.waitForBotText(/Hi Alice/);
      // Typed and sent as a customer does; the echo shows redacted, so sendText's wait for the typed text does not apply.
      const input = page.page.locator('[data-id="webchat-sendbox-input"]');
      await input.click();
      await input.fill(`my card is ${CARD_TYPED} cvv ${CVV}`);
      await input.press('Enter');
      await page.waitForBotText(/secure page/);
      const replies = (await page.botTexts()).join('\n');
      assert.ok(!replies.includes(CARD_TYPED) && !replies.includes(CARD), 'no reply repeats the card');
    } finally {
      await page.close();
    }
    await sleep(500);
    const haystacks = [['bot output', bot.output()]];
    for (const file of fs.readdirSync(dataDir, { recursive: true })) {
      const full = path.join(dataDir, file);
      if (fs.statSync(full).isFile()) haystacks.push([file, fs.readFileSync(full).toString('latin1')]);
    }
    // The database really holds this bot's conversations (the Direct Line log keeps the masked notice).
    assert.ok(haystacks.some(([where, text]) => where !== 'bot output' && /Your card is saved/.test(text)), 'the database was searched');
    for (const [where, text] of haystacks) {
      for (const secret of [CARD, CARD_TYPED, '4000-0566-5566-5556', `cvv ${CVV}`, `"cvv":"${CVV}"`, `cvv=${CVV}`]) {
        assert.ok(!text.includes(secret), `${where} holds ${secret}`);
      }
    }
  });
});

describe('an expired payment-method link', () => {
  let bot;
  // Long enough to open the page and fill it in (about 3 s on a quiet CI machine, four times that allowed); every
  // second of it is waited out, so it is no longer than that. Expiry itself, to the second, is proven on the fake
  // clock by the .NET tests (Payments/PaymentMethodPageTests); here, that a browser's late submit is refused.
  const LIFETIME_MS = 12000;
  before(async () => { bot = await startBot({ settings: { PaymentMethods__LinkLifetime: '00:00:12' } }); });
  after(async () => { await bot?.stop(); });

  it('is refused and writes nothing', async () => {
    const page = await openPage(bot);
    try {
      const button = await askForLink(page);
      // The link was made before the card showed it: it has expired once this moment is a lifetime behind.
      const expired = Date.now() + LIFETIME_MS + 1500;
      const [popup] = await Promise.all([page.browser.context.waitForEvent('page'), button.click()]);
      await popup.waitForLoadState();
      await fillCard(popup);
      assert.ok(Date.now() < expired - 1500, `opening and filling the page took longer than the link's ${LIFETIME_MS} ms lifetime: raise LIFETIME_MS`);
      await sleep(Math.max(0, expired - Date.now()));
      await Promise.all([popup.waitForLoadState(), popup.locator('button[type="submit"]').click()]);
      await popup.locator('h1', { hasText: "This link can't be used" }).waitFor({ timeout: 20000 });
      assert.equal((await bot.sandbox.calls({ rest_call: 'update_payment_method_m' })).length, 0);
      await popup.close();
    } finally {
      await page.close();
    }
  });
});

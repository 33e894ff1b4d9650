'use strict';
// Changing the account e-mail in a real browser: the customer asks in the chat and says yes to old → new; a code goes to
// the NEW address (read here from the Development outbox, /dev/outbox) and the OLD address is told; the code is entered
// on the bot's secure page, never in the chat; the chat then hears it was confirmed, shows old → new once more and
// writes the change once. Aria has the new address, and the code appears nowhere in the chat.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startBot, openPage, waitFor } = require('./harness');

const ALICE = 1000001;
const NEW = 'alice.new@example.net';

/** The messages on /dev/outbox: { subject, to, text }, newest first. */
async function outbox(bot) {
  const html = await (await bot.fetch('/dev/outbox')).text();
  const decode = s => s.replace(/&#x([0-9A-F]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
  return [...html.matchAll(/<article><h2>(.*?)<\/h2><p>To: (.*?) · .*?<\/p><pre>([\s\S]*?)<\/pre><\/article>/g)]
    .map(([, subject, to, text]) => ({ subject: decode(subject), to: decode(to), text: decode(text) }));
}

describe('changing the account e-mail (code sent to the new address)', () => {
  let bot;
  before(async () => { bot = await startBot(); });
  after(async () => { await bot?.stop(); });

  it('asks old → new, sends a code to the new address, takes it on the page and then writes the change once', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      await page.waitForBotText(/Hi Alice/);
      await page.sendText('update my email');
      await page.waitForBotText(/Which contact would you like to update/);
      await page.clickSuggestedAction('Account contact');
      await page.waitForBotText(/What.s the new E-mail\?/).catch(async error => { throw new Error(error.message + ' — bot said: ' + JSON.stringify(await page.botTexts())); });
      await page.sendText(NEW);
      await page.waitForBotText(/I check the new one first: change \u200b?alice@example\.com\u200b? → \u200b?alice\.new@example\.net/);
      await page.clickSuggestedAction('Yes');
      await page.waitForBotText(/I.ve sent an 8-digit code to \u200b?alice\.new@example\.net/);
      await page.screenshot('email-change-link');

      const code = await waitFor(async () => {
        const mail = (await outbox(bot)).find(m => m.to === NEW && m.subject === 'Confirm your new e-mail address');
        return mail && /^\s*(\d{8})\s*$/m.exec(mail.text)?.[1];
      }, 'the code e-mail to the new address');
      const told = await waitFor(async () => (await outbox(bot)).find(m => m.to === 'alice@example.com' && m.subject === 'A change of your account e-mail was requested'),
        'the notice to the old address');
      assert.ok(!told.text.includes(code));

      const popup = await page.followCardLink('Enter the code');
      assert.match(popup.url(), new RegExp(`^${bot.url}/email-change\\?state=`));
      await popup.locator('#code').fill(code);
      await Promise.all([popup.waitForLoadState(), popup.locator('button[type="submit"]').click()]);
      await waitFor(async () => /Address confirmed/.test(await popup.locator('h1').innerText()), 'the "Address confirmed" page');
      await popup.close();
      // Nothing written yet: the page only verifies.
      assert.equal((await bot.sandbox.calls({ rest_call: 'update_contact_m' })).length, 0);

      await page.waitForBotText(/Your new e-mail address is confirmed/);
      await page.clickSuggestedAction('Continue');
      await page.waitForBotText(/alice@example\.com\u200b? → \u200b?alice\.new@example\.net/);
      await page.clickSuggestedAction('Confirm');
      await page.waitForBotText(/Done! Account contact: E-mail is now \u200b?alice\.new@example\.net/);
      await page.screenshot('email-change-done');

      assert.equal((await bot.sandbox.calls({ rest_call: 'update_contact_m' })).length, 1);
      const details = await bot.sandbox.aria('get_acct_details_all_m', { acct_no: String(ALICE) });
      assert.equal(details.email, NEW);
      await waitFor(async () => (await outbox(bot)).some(m => m.to === 'alice@example.com' && m.subject === 'Your account e-mail was changed'), 'the "changed" notice to the old address');
      assert.ok(!(await page.botTexts()).some(text => text.includes(code)));
      assert.ok(!(await page.userTexts()).some(text => text.includes(code)));
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });
});

'use strict';
// Signed out in the customer page: the bot sends a sign-in link, the customer follows it in the browser, signs in
// on the bot's sign-in page, and types the code it shows into the chat.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startBot, openPage, waitFor, ROOT } = require('./harness');

// What the customer types to get a sign-in link. The conversation shell routes it (SignIn intent) to SignInDialog.
const ASK_TO_SIGN_IN = 'I want to sign in';

// The sign-in dialog's sentences that mean "not signed in (yet)": the reply to a good code is none of these.
const NOT_SIGNED_IN = (() => {
  const lg = fs.readFileSync(path.join(ROOT, 'dialogs/SignIn/SignIn.en-US.lg'), 'utf8');
  const keys = ['waitingForCode', 'notSignedInOnPageYet', 'codeWrongOneLeft', 'codeWrongSomeLeft', 'codeBurned', 'codeExpired',
    'linkExpired', 'noSignIn', 'onlyStarter', 'codeUnavailable', 'checkUnavailable', 'codeRateLimited'];
  return keys.map(key => {
    const match = new RegExp(`^# signIn\\.${key}\\n- (.+)$`, 'm').exec(lg);
    assert.ok(match, `signIn.${key} in SignIn.en-US.lg`);
    return match[1].replace(/\$\{\w+\}.*$/, '').trim();
  });
})();

describe('signing in from the chat (signed-out page)', () => {
  let bot;
  before(async () => { bot = await startBot(); });
  after(async () => { await bot?.stop(); });

  it('follows the link from the card, signs in on the page, types the code in chat and the bot confirms', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      await page.sendText(ASK_TO_SIGN_IN);
      // The link arrives as a card with an openUrl button ("Sign in"); the page never shows the URL as text.
      await page.waitForBotText(/Sign in to your account/);
      await page.screenshot('signin-link');

      const popup = await page.followCardLink('Sign in');
      assert.match(popup.url(), new RegExp(`^${bot.url}/signin\\?state=`));
      const code = await page.signInOnPage(popup, { userId: 'alice', password: 'alice-demo-1' });
      assert.match(code, /^\d{6}$/);
      await popup.screenshot({ path: path.join(ROOT, 'artifacts/test-results/screenshots/signin-page-code.png') });
      await popup.close();

      const before = (await page.botTexts()).length;
      // The code is a secret: the bot's echo replaces the customer's own bubble with "[removed]", so the page
      // never keeps it on screen (nor in the Direct Line log the echo comes from).
      await page.sendText(code, { shownAs: '[removed]' });
      assert.ok(!(await page.userTexts()).some(text => text.includes(code)), 'the code stays on screen after the echo');
      const reply = await waitFor(async () => (await page.botTexts()).slice(before).find(text => text.trim()), 'the bot\'s answer to the code');
      assert.ok(!NOT_SIGNED_IN.some(sentence => reply.includes(sentence)), `the bot did not accept the code: ${reply}`);
      // Server-side proof: alice's password was checked by Aria (set_session_auth_m) and that session is now validated
      // for the chat (validate_session_m), both for her account.
      const auth = await bot.sandbox.calls({ rest_call: 'set_session_auth_m', acct_no: 1000001 });
      assert.ok(auth.some(call => call.error_code === 0), 'set_session_auth_m succeeded for alice');
      const validations = await bot.sandbox.calls({ rest_call: 'validate_session_m', acct_no: 1000001 });
      assert.ok(validations.some(call => call.error_code === 0), 'the chat validated alice\'s session');
      await page.screenshot('signin-confirmed');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });
});

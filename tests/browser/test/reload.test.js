'use strict';
// A reload (or leaving the page and coming back in the same tab) keeps the chat: the transcript comes back, a plan
// switch waiting at its confirmation can still be confirmed, and nothing greets twice. Signing out or in as someone
// else, here or in another tab, starts a new conversation without the earlier messages.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startBot, openPage, waitFor } = require('./harness');

const ALICE = 1000001;
const PREMIUM = 13;

/** What the page keeps for the tab (js/portal.js, key 'nimbus-chat'): { conversationId, token }, or null. */
const savedChat = page => page.page.evaluate(() => JSON.parse(sessionStorage.getItem('nimbus-chat') || 'null'));

const jwtPayload = token => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

/** How many of the bot's activities match: the greeting must be there exactly once. */
const countBotTexts = async (page, pattern) => (await page.botTexts()).filter(text => pattern.test(text)).length;

async function reload(page) {
  await page.page.reload();
  await page.waitForChat();
}

/** A bot reply after the customer's last message. */
const replyAfterMine = page => waitFor(async () => {
  const roles = await page.transcriptRoles();
  const mine = roles.lastIndexOf('user');
  return mine >= 0 && roles.slice(mine + 1).includes('bot');
}, 'a bot message after the customer\'s');

/** Another tab of the same browser (same cookies), signed in as `name` through its own demo picker. */
async function otherTabSignsInAs(page, name) {
  const other = await page.browser.context.newPage();
  await other.goto(page.bot.url);
  await other.locator('button.demo-account', { hasText: name }).click();
  await other.locator('button.demo-account[aria-pressed="true"]', { hasText: name }).waitFor({ timeout: 20000 });
  await other.locator('#chat-status[data-i18n="chatOnline"]').waitFor({ timeout: 20000 });
  return other;
}

describe('reloading the customer page', () => {
  let bot;
  // Every page load asks for a chat token or to rejoin one; this file loads pages faster than a customer would.
  before(async () => { bot = await startBot({ settings: { Web__ChatTokensPerMinute: '200' } }); });
  after(async () => { await bot?.stop(); });

  it('mid plan switch: the reload brings back the messages and the preview, Confirm switches exactly once, no second greeting', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      await page.waitForBotText(/Hi Alice/);
      await page.clickSuggestedAction('Switch my plan');
      await page.waitForBotText(/Which plan would you like/);
      await page.clickSuggestedAction('Premium');
      await page.waitForBotText(/Switch from Standard to Premium/);
      await page.page.locator('.ac-adaptiveCard', { hasText: 'Switch from Standard to Premium' }).first().waitFor({ timeout: 20000 });
      const kept = await savedChat(page);
      assert.ok(kept?.conversationId && kept.token, 'the tab keeps the conversation');
      const botBefore = await page.botTexts();
      const userBefore = await page.userTexts();
      const sessionsBefore = (await bot.sandbox.calls({ rest_call: 'set_session_m', acct_no: ALICE })).length;
      await page.screenshot('reload-plan-switch-before');

      await reload(page);
      await page.page.locator('.ac-adaptiveCard', { hasText: 'Switch from Standard to Premium' }).first().waitFor({ timeout: 20000 });
      await waitFor(async () => (await page.botTexts()).length >= botBefore.length, 'the whole transcript again');
      // The same conversation, replayed in full and in order: the greeting once, the customer's clicks, the preview.
      assert.deepEqual(await page.userTexts(), userBefore);
      assert.deepEqual(await page.botTexts(), botBefore);
      assert.equal(await countBotTexts(page, /Hi Alice/), 1, 'no second greeting');
      const rejoined = await savedChat(page);
      assert.equal(rejoined.conversationId, kept.conversationId);
      assert.notEqual(rejoined.token, kept.token, 'the tab keeps the newer token it rejoined with');
      assert.equal(jwtPayload(rejoined.token).user, jwtPayload(kept.token).user);
      // Rejoined, not recreated: the conversation keeps the Aria session it was bound to.
      assert.equal((await bot.sandbox.calls({ rest_call: 'set_session_m', acct_no: ALICE })).length, sessionsBefore);
      assert.equal((await bot.sandbox.writes({ acct_no: ALICE })).length, 0, 'no write before the confirmation');
      assert.ok((await page.suggestedActions()).some(title => title.includes('Confirm')), 'the preview can still be confirmed');
      assert.deepEqual(await page.accessibilityViolations(), []);
      await page.screenshot('reload-plan-switch-after');
      // The top of the transcript after the reload: the greeting and the customer's choices are back too.
      const scrollTranscript = top => page.page.locator('.webchat__basic-transcript__scrollable').evaluate((element, toTop) => { element.scrollTop = toTop ? 0 : element.scrollHeight; }, top);
      await scrollTranscript(true);
      await page.screenshot('reload-plan-switch-after-history');
      await scrollTranscript(false);

      await page.clickSuggestedAction('Confirm');
      await page.waitForBotText(/now on Premium/);
      const writes = await bot.sandbox.writes({ acct_no: ALICE });
      assert.equal(writes.length, 1, 'exactly one write');
      assert.equal(writes[0].rest_call, 'replace_acct_plan_m');
      const master = (await bot.sandbox.plans(ALICE)).find(plan => plan.supp_plan_ind !== 1);
      assert.equal(master.plan_no, PREMIUM, 'the sandbox shows alice on Premium');
      await page.page.locator('#fact-plan', { hasText: 'Premium' }).waitFor({ timeout: 20000 });
      await page.screenshot('reload-plan-switch-done');
      assert.deepEqual(await page.problems(), []);
    } catch (error) {
      await page.screenshot('reload-plan-switch-failure');
      error.message += `\n--- bot output ---\n${bot.output()}`;
      throw error;
    } finally {
      await page.close();
    }
  });

  it('leaving the page and coming back with the back button keeps the conversation', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      await page.sendText('hello before I leave');
      await replyAfterMine(page);
      const botBefore = await page.botTexts();
      const kept = await savedChat(page);

      await page.page.goto('about:blank');
      await page.page.goBack();
      await page.waitForChat();
      await page.waitForUserText('hello before I leave');
      await waitFor(async () => (await page.botTexts()).length >= botBefore.length, 'the whole transcript again');
      assert.deepEqual(await page.botTexts(), botBefore, 'the same messages, the greeting once');
      assert.equal((await savedChat(page)).conversationId, kept.conversationId);

      // And it goes on from there.
      await page.sendText('and I am back');
      await replyAfterMine(page);
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('signing out, or picking another customer, starts a new conversation without the earlier messages, also after a reload', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      await page.waitForBotText(/Hi Alice/);
      await page.sendText('a note only Alice should see');
      await replyAfterMine(page);
      const alices = (await savedChat(page)).conversationId;

      await page.page.locator('#sign-out').click();
      await page.page.locator('#account-signed-out:not([hidden])').waitFor({ timeout: 20000 });
      await waitFor(async () => (await savedChat(page))?.conversationId !== alices, 'a new conversation');
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      assert.deepEqual(await page.userTexts(), []);
      assert.equal(await countBotTexts(page, /Alice/), 0);
      const signedOut = (await savedChat(page)).conversationId;

      // The reload keeps the signed-out conversation, never Alice's.
      await reload(page);
      await page.waitForBotText(/\S/);
      assert.equal((await savedChat(page)).conversationId, signedOut);
      assert.deepEqual(await page.userTexts(), []);

      await page.pickDemoAccount('Bob');
      await page.waitForBotText(/Hi Bob/);
      const bobs = (await savedChat(page)).conversationId;
      assert.ok(![alices, signedOut].includes(bobs), 'Bob has a conversation of his own');
      assert.deepEqual(await page.userTexts(), []);
      assert.equal(await countBotTexts(page, /Alice/), 0);
      await page.screenshot('reload-another-customer');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('after a sign-in as someone else in another tab, a reload starts that customer\'s conversation, not the earlier one', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      await page.waitForBotText(/Hi Alice/);
      await page.sendText('Alice was here');
      await replyAfterMine(page);
      const alices = (await savedChat(page)).conversationId;

      const other = await otherTabSignsInAs(page, 'Carol');
      await other.close();

      // This tab still keeps Alice's conversation; the server says it is not the current login's.
      assert.equal((await savedChat(page)).conversationId, alices);
      await reload(page);
      await page.waitForBotText(/Hi Carol/);
      assert.notEqual((await savedChat(page)).conversationId, alices);
      assert.deepEqual(await page.userTexts(), []);
      assert.equal(await countBotTexts(page, /Alice/), 0);
      assert.match(await page.page.locator('#account-name').innerText(), /^Carol /);
      await page.screenshot('reload-after-sign-in-elsewhere');
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('a duplicated tab starts its own conversation instead of taking over this one', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      await page.sendText('from the first tab');
      await replyAfterMine(page);
      const kept = await savedChat(page);

      // "Duplicate tab" copies sessionStorage into the new tab before its page runs.
      const copy = await page.browser.context.newPage();
      await copy.addInitScript(saved => { sessionStorage.setItem('nimbus-chat', saved); }, JSON.stringify(kept));
      await copy.goto(bot.url);
      await copy.locator('#chat-status[data-i18n="chatOnline"]').waitFor({ timeout: 20000 });
      const copied = await copy.evaluate(() => JSON.parse(sessionStorage.getItem('nimbus-chat') || 'null'));
      assert.notEqual(copied.conversationId, kept.conversationId);
      assert.equal(await copy.locator('.webchat__stacked-layout--from-user').count(), 0);

      // The first tab's conversation and its stream are untouched.
      await page.sendText('still the first tab');
      await replyAfterMine(page);
      assert.equal((await savedChat(page)).conversationId, kept.conversationId);
      await copy.close();
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });

  it('keeps the token DirectLineJS refreshed: a reload after the refresh rejoins with the new token', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      await page.sendText('before the refresh');
      await replyAfterMine(page);
      // A fake clock in the page (time still runs), installed before the page that will refresh is loaded.
      await page.page.clock.install();
      await reload(page);
      await page.waitForUserText('before the refresh');

      // DirectLineJS refreshes every 15 minutes (tokens/refresh); jump there instead of waiting.
      const refreshed = page.page.waitForResponse(response => response.url().endsWith('/v3/directline/tokens/refresh'), { timeout: 20000 });
      await page.page.clock.fastForward('15:30');
      const response = await refreshed;
      assert.equal(response.status(), 200);
      const { token } = await response.json();

      const resumeRequest = page.page.waitForRequest(request => request.url().endsWith('/portal/chat-resume'), { timeout: 20000 });
      await reload(page);
      assert.equal(JSON.parse((await resumeRequest).postData()).token, token, 'the reload offered the refreshed token');
      await page.waitForUserText('before the refresh');
      await page.sendText('after the refresh');
      await replyAfterMine(page);
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });
});

'use strict';
// The first thing a newcomer tries: open the page, pick a demo customer, switch a plan by clicking the buttons,
// see Aria's preview card, confirm, see the result — and the sandbox shows exactly one change.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startBot, openPage } = require('./harness');

const ALICE = 1000001;
const PREMIUM = 13;

describe('switching a plan in the customer page', () => {
  let bot;
  before(async () => { bot = await startBot(); });
  after(async () => { await bot?.stop(); });

  it('previews, confirms and switches exactly once', async () => {
    const page = await openPage(bot);
    try {
      await page.page.setViewportSize({ width: 1200, height: 860 });
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      await page.waitForBotText(/Hi Alice/);

      await page.clickSuggestedAction('Switch my plan');
      await page.waitForBotText(/Which plan would you like/);
      assert.ok((await page.suggestedActions()).some(title => title.includes('Premium')), 'Premium is offered');
      await page.clickSuggestedAction('Premium');

      // The preview is Aria's do_write=false answer, shown as a card; nothing is written yet.
      await page.waitForBotText(/Switch from Standard to Premium/);
      await page.page.locator('.ac-adaptiveCard', { hasText: 'Switch from Standard to Premium' }).first().waitFor({ timeout: 20000 });
      assert.equal((await bot.sandbox.writes({ acct_no: ALICE })).length, 0, 'no write before the confirmation');
      await page.screenshot('switch-plan-preview');

      await page.clickSuggestedAction('Confirm');
      await page.waitForBotText(/now on Premium/); // Web Chat's markdown turns the apostrophe typographic
      await page.screenshot('switch-plan-done');

      const writes = await bot.sandbox.writes({ acct_no: ALICE });
      assert.equal(writes.length, 1, 'exactly one write');
      assert.equal(writes[0].rest_call, 'replace_acct_plan_m');
      const master = (await bot.sandbox.plans(ALICE)).find(plan => plan.supp_plan_ind !== 1);
      assert.equal(master.plan_no, PREMIUM, 'the sandbox shows alice on Premium');
      assert.deepEqual(await page.problems(), []);
    } catch (error) {
      await page.screenshot('switch-plan-failure');
      // The bot logs warnings and errors only (the harness's setting); they say why a turn went wrong.
      error.message += `\n--- bot output ---\n${bot.output()}\n--- calls ---\n${JSON.stringify(await bot.sandbox.calls({ acct_no: ALICE }))}`;
      throw error;
    } finally {
      await page.close();
    }
  });
});

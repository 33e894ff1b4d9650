'use strict';
// Proactive notices in the official Web Chat, against the real bot and the sandbox's own event notifications: Alice opts
// in from the customer page, simulated time passes her next bill date (the sandbox's admin clock), the sandbox POSTs
// its "Invoice Created" document to the bot's receiver, and — as web chat holds a notice for the next signed-in visit —
// when she signs in again in the same open page (her Aria session ended with the days that passed), the notice
// arrives with its one button; pressing it is an ordinary request whose turn checks the session before showing
// anything, and shows her statements.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startBot, openPage, waitFor } = require('./harness');

const ALICE = 1000001;
const DAY = 24 * 60 * 60 * 1000;

describe('notifications in the customer page', () => {
  let bot;
  before(async () => {
    bot = await startBot({
      settings: ({ url }) => ({
        // The sandbox sends Aria's event notifications to this very bot.
        Aria__SandboxEvents__Url: `${url}/api/aria/events`,
        // For the line that says a notice was held (the harness otherwise keeps the bot's log to warnings).
        Serilog__MinimumLevel__Default: 'Information',
      }),
    });
  });
  after(async () => { await bot?.stop(); });

  it('opts in, and the notice of a new invoice arrives in the open page with a working button', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.pickDemoAccount('Alice');
      await page.waitForBotText(/Hi Alice/);
      await page.sendText('notify me about my account here');
      await page.waitForBotText(/next time you open the chat/);

      // Simulated time passes Alice's next bill date: the sandbox bills and sends 901 Invoice Created.
      const master = (await bot.sandbox.plans(ALICE)).find(plan => plan.supp_plan_ind !== 1);
      const clock = await (await bot.fetch('/aria-sandbox/admin/clock')).json();
      const days = Math.round((Date.parse(master.next_bill_date) - Date.parse(clock.today)) / DAY) + 1;
      const advanced = await bot.fetch('/aria-sandbox/admin/clock/advance', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ days }),
      });
      assert.equal(advanced.status, 200, await advanced.text());
      const events = await waitFor(async () => {
        const all = await (await bot.fetch('/aria-sandbox/admin/events')).json();
        return all.some(e => e.event_ids.includes(901)) && all.every(e => e.delivered) ? all : null;
      }, 'the sandbox to deliver its event documents');
      assert.ok(events.some(e => e.acct_no === ALICE && e.event_ids.includes(901)));
      await waitFor(() => /"?InvoiceCreated"? notice for 1 subscription/.test(bot.output()), 'the bot to hold the notice');

      // Alice signs in again in the same page: the notice arrives after the welcome, with its one button.
      await page.page.locator('button.demo-account', { hasText: 'Alice' }).click();
      await page.waitForBotText(/You have a new invoice\./);
      assert.deepEqual(await page.suggestedActions(), ['See statement']);
      assert.doesNotMatch((await page.botTexts()).join('\n'), /\$\d/, 'the notice shows no amount');
      await page.screenshot('notifications-notice');

      // The button is an ordinary request: the session is validated before anything of the account is read.
      await bot.sandbox.clearCalls();
      await page.clickSuggestedAction('See statement');
      await page.waitForUserText('See statements');
      await waitFor(async () => (await bot.sandbox.calls({ acct_no: ALICE })).some(call => call.rest_call === 'get_acct_statement_history_m'),
        'the statements to be read');
      const calls = (await bot.sandbox.calls()).map(call => call.rest_call);
      assert.ok(calls.indexOf('validate_session_m') >= 0 && calls.indexOf('validate_session_m') < calls.indexOf('get_acct_statement_history_m'), calls.join(', '));
      await page.waitForBotText(/statement/i);
      assert.deepEqual(await page.problems(), []);
    } catch (error) {
      await page.screenshot('notifications-failure');
      error.message += `\n--- bot output ---\n${bot.output()}`;
      throw error;
    } finally {
      await page.close();
    }
  });
});

'use strict';
// The agents' console signing in with the organisation's OpenID Connect provider, in Chromium against the real bot and
// a provider stand-in in node (oidc-provider.js): the console's button, the provider's form_post back, the live queue,
// taking over a waiting customer; then signing out, which ends the provider's session too (RP-initiated logout with
// id_token_hint) and brings the browser back to the console, signed out. A user of the provider without the agent role
// is refused.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startBot, openPage, waitFor } = require('./harness');
const { startOidcProvider } = require('./oidc-provider');

describe('the agents\' console with OpenID Connect', () => {
  let provider;
  let bot;
  before(async () => {
    provider = await startOidcProvider();
    bot = await startBot({
      settings: {
        Handoff__Enabled: 'true',
        Handoff__QueuePollInterval: '00:00:00.500',
        Handoff__OpenIdConnect__Authority: provider.issuer,
        Handoff__OpenIdConnect__ClientId: provider.clientId,
        Handoff__OpenIdConnect__ClientSecret: provider.clientSecret,
        Handoff__OpenIdConnect__RequireHttpsMetadata: 'false',
      },
    });
  });
  after(async () => {
    await bot?.stop();
    await provider?.stop();
  });

  it('signs in with the button, takes over a waiting customer, and signs out of the console and the provider', async () => {
    const customer = await openPage(bot);
    const agent = await openPage(bot, { route: '/agent/' });
    const page = agent.page;
    try {
      await customer.waitForChat();
      await customer.waitForBotText(/\S/);
      await customer.sendText('talk to a person');
      await customer.waitForBotText(/connecting you with a person/);

      // Only the organisation's sign-in is offered (no password agents are configured).
      const button = page.locator('#oidc-sign-in:not([hidden])');
      await button.waitFor({ timeout: 20000 });
      assert.equal(await page.locator('#sign-in-form').isHidden(), true);
      await button.click();
      await page.locator('#agent-name', { hasText: 'Robin Agent' }).waitFor({ timeout: 20000 });
      assert.equal(provider.tokenRequests, 1);

      // Take over the waiting customer.
      const entry = page.locator('#queue button').first();
      await entry.waitFor({ timeout: 20000 });
      await entry.click();
      await page.locator('#accept:not([hidden])').click();
      await customer.waitForBotText(/Robin Agent from our support team has joined the chat/);
      await page.locator('#reply-form:not([hidden])').waitFor({ timeout: 20000 });

      // Sign out: the provider's end_session is hit with the id token as hint, and the browser comes back signed out.
      await page.locator('#sign-out').click();
      await waitFor(() => provider.endSessions.length === 1, 'the provider\'s end_session to be hit');
      await page.locator('#signed-out:not([hidden])').waitFor({ timeout: 20000 });
      await waitFor(() => page.url() === `${bot.url}/agent/`, 'the console again, its address cleaned');
      const ended = provider.endSessions[0];
      assert.equal(ended.id_token_hint, provider.idTokens[0]);
      assert.equal(ended.client_id, provider.clientId);
      assert.equal(ended.post_logout_redirect_uri, `${bot.url}/agent/signout-callback-oidc`);
      assert.ok(ended.state, 'the state rides along');
      assert.equal(await page.locator('#desk').isHidden(), true);
      assert.equal(await page.locator('#sign-in').isVisible(), true);
      assert.deepEqual(await agent.problems(), []);
      assert.deepEqual(await customer.problems(), []);
      // (Checked last: the 401 itself shows in the page's console.)
      const me = await page.evaluate(async () => (await fetch('/agent/api/me', { credentials: 'same-origin' })).status);
      assert.equal(me, 401, 'the console\'s session is over');
    } catch (error) {
      await agent.screenshot('agent-oidc-failure');
      error.message += `\n--- bot output ---\n${bot.output()}`;
      throw error;
    } finally {
      await agent.close();
      await customer.close();
    }
  });

  it('refuses a user of the provider without the agent role', async () => {
    provider.nextUser = { sub: 'user-sam', name: 'Sam Sales', roles: ['sales'] };
    const agent = await openPage(bot, { route: '/agent/' });
    const page = agent.page;
    try {
      const button = page.locator('#oidc-sign-in:not([hidden])');
      await button.waitFor({ timeout: 20000 });
      await button.click();
      await page.locator('#oidc-error', { hasText: 'That sign-in was refused' }).waitFor({ timeout: 20000 });
      assert.equal(await page.locator('#desk').isHidden(), true);
      const me = await waitFor(() => page.evaluate(async () => (await fetch('/agent/api/me', { credentials: 'same-origin' })).status), 'the console\'s answer');
      assert.equal(me, 401);
    } finally {
      await agent.close();
    }
  });
});

'use strict';
// Retakes docs/web-page.png for the README (after a build): `node tools/readme-screenshot.js` in tests/browser.
// A plan-switch picture can be made the same way with the harness's clickSuggestedAction/waitForBotText.
const path = require('node:path');
const { startBot, openPage, ROOT } = require('../test/harness');

(async () => {
  const bot = await startBot();
  try {
    const page = await openPage(bot);
    await page.page.setViewportSize({ width: 1200, height: 800 });
    await page.waitForChat();
    await page.pickDemoAccount('Erin');
    await page.waitForBotText(/\S/);
    await page.sendText('What can you help me with?');
    await page.page.locator('.webchat__suggested-action').first().waitFor({ timeout: 20000 });
    // Let Web Chat finish scrolling to the newest message.
    await page.page.waitForTimeout(1500);
    await page.page.mouse.move(0, 0);
    await page.page.evaluate(() => window.scrollTo(0, 0));
    await page.page.screenshot({ path: path.join(ROOT, 'docs/web-page.png') });
    await page.close();
  } finally {
    await bot.stop();
  }
})().catch(error => { console.error(error); process.exit(1); });

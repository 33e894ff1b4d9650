'use strict';
// The browser suite's harness: starts the real bot (src/AriaBot, built by ./test.sh or `dotnet build`) on a free
// port, drives Debian's Chromium through playwright-core, and reads the Aria sandbox over its admin endpoints.
// Tests compose these helpers; a new scenario (e.g. the plan switch) needs no new plumbing:
//
//   const bot = await startBot();                       // Development + sandbox + a temp SQLite file
//   const page = await openPage(bot);                   // collects console errors and CSP violations
//   await page.pickDemoAccount('Alice');                // demo portal sign-in, the chat restarts bound to alice
//   await page.waitForBotText(/hello/i);
//   await page.sendText('switch my plan');
//   await page.clickSuggestedAction('Premium');
//   await page.waitForBotText(/preview/i);
//   await page.screenshot('plan-switch');               // artifacts/test-results/screenshots/plan-switch.png
//   const writes = await bot.sandbox.calls({ rest_call: 'replace_acct_plan_m' });
//   assert.deepEqual(page.problems(), []);
//   await page.close(); await bot.stop();

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../../..');
const PROJECT_DIR = path.join(ROOT, 'src/AriaBot');
const BOT_DLL = path.join(PROJECT_DIR, 'bin/Debug/net10.0/AriaBot.dll');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'artifacts/test-results/screenshots');
const AXE = require.resolve('axe-core/axe.min.js');

// The sandbox's demo client (README "Demo accounts"): what the bot itself is configured with in Development.
const SANDBOX_CLIENT = { client_no: '7000100', auth_key: 'sandbox-demo-auth-key-7000100' };

// What a Production deployment must supply before the host agrees to start (see README "Configuration").
const PRODUCTION_SETTINGS = {
  'Bot__AllowAnonymous': 'true',
  'DirectLine__Secrets__0': 'browser-suite-direct-line-secret-0123456789',
  'DirectLine__SigningKey': Buffer.alloc(32, 9).toString('base64'),
  'Aria__BaseUrl': 'https://aria.invalid',
  'Aria__ClientNo': '1',
  'Aria__AuthKey': 'not-a-real-key',
  'SignIn__PublicBaseUrl': 'https://bot.example.com',
  'SelfService__TermsUrl': 'https://www.example.com/terms',
};

/** A TCP port nobody listens on right now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(condition, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      // A condition that knows waiting longer cannot help (the bot exited) says so with `fatal`.
      if (error.fatal) throw error;
      last = error;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

/**
 * Starts src/AriaBot as `dotnet run` would (content root = the project folder, so wwwroot is the one the build
 * filled), on a free loopback port, with its SQLite state in a temp folder. `environment` is Development (sandbox
 * Aria, demo portal) unless told otherwise; Production gets the settings it requires. `settings` are environment
 * variables (`Section__Key`), or a function of `{ url, port }` returning them (a setting that names the bot's own
 * address, such as the sandbox's event notifications URL). Resolves once /healthz answers.
 */
async function startBot({ environment = 'Development', settings = {} } = {}) {
  if (!fs.existsSync(BOT_DLL)) {
    throw new Error(`${BOT_DLL} is missing: build the solution first (dotnet build AriaBot.sln)`);
  }
  if (!fs.existsSync(path.join(PROJECT_DIR, 'wwwroot/lib/webchat.js'))) {
    throw new Error('src/AriaBot/wwwroot/lib/webchat.js is missing: the build copies it from npm (dotnet build src/AriaBot)');
  }
  const port = await freePort();
  if (typeof settings === 'function') settings = settings({ url: `http://127.0.0.1:${port}`, port });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ariabot-browser-'));
  const env = {
    ...process.env,
    ASPNETCORE_ENVIRONMENT: environment,
    ASPNETCORE_URLS: `http://127.0.0.1:${port}`,
    DOTNET_NOLOGO: '1',
    State__SqlitePath: path.join(dataDir, 'ariabot.db'),
    Serilog__MinimumLevel__Default: 'Warning',
    ...(environment === 'Production' ? PRODUCTION_SETTINGS : {}),
    ...settings,
  };
  const child = spawn('dotnet', [BOT_DLL, '--contentRoot', PROJECT_DIR], { cwd: PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', chunk => { output += chunk; });
  child.stderr.on('data', chunk => { output += chunk; });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise(resolve => child.once('exit', code => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(15000).then(() => 'timeout')]);
      if (code === 'timeout') { child.kill('SIGKILL'); await exited; }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw Object.assign(new Error(`the bot exited (${child.exitCode})`), { fatal: true });
      const response = await fetch(`${url}/healthz`);
      return response.ok;
    }, 'the bot to answer /healthz', 60000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- bot output ---\n${output}`);
  }

  const json = async (method, route, body) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  // Any Aria call, as the bot makes it: a form post to the sandbox's dispatcher with the demo client's credentials.
  const aria = async (restCall, params = {}) => {
    const form = new URLSearchParams({ rest_call: restCall, output_format: 'json', ...SANDBOX_CLIENT, ...params });
    const response = await fetch(`${url}/aria-sandbox/api/ws/api_ws_class_dispatcher.php`, { method: 'POST', body: form });
    return response.json();
  };
  const query = params => {
    const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined));
    return search.size ? `?${search}` : '';
  };

  return {
    url,
    port,
    environment,
    output: () => output,
    stop,
    /** Ends the process at once (SIGKILL: no shutdown hooks run), as a crash would; stop() afterwards only cleans up. */
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited; }
    },
    /** fetch() against the bot, relative to its URL. */
    fetch: (route, init) => fetch(`${url}${route}`, init),
    /** The simulated Aria (Development only), over /aria-sandbox/admin and its own API. */
    sandbox: {
      demoAccounts: () => json('GET', '/aria-sandbox/admin/demo-accounts'),
      /** The call log, filtered like the endpoint: `{ rest_call, acct_no }`. Entries: { at, rest_call, acct_no, error_code, do_write, transport }. */
      calls: (filter = {}) => json('GET', `/aria-sandbox/admin/calls${query(filter)}`),
      /** The calls sent with do_write=true (plan changes and orders after their preview): what "exactly one change" counts. Calls with no do_write (payments, contact updates) are in calls(). */
      writes: async (filter = {}) => (await json('GET', `/aria-sandbox/admin/calls${query(filter)}`)).filter(call => call.do_write === true),
      clearCalls: () => json('DELETE', '/aria-sandbox/admin/calls'),
      reset: () => json('POST', '/aria-sandbox/admin/reset'),
      fault: body => json('POST', '/aria-sandbox/admin/faults', body),
      /** Any Aria call (`aria('get_acct_details_all_m', { acct_no: '1000001' })`); it shows up in the call log too. */
      aria,
      /** The account's plan instances (get_acct_plans_m): [{ plan_no, plan_name, plan_instance_no, plan_units, supp_plan_ind, … }]. */
      plans: async acctNo => (await aria('get_acct_plans_m', { acct_no: String(acctNo) })).acct_plans_m ?? [],
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile (the flags a container without a sandbox or GPU needs). */
async function launchBrowser({ locale = 'en-US' } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/setup-test-deps.sh does)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ariabot-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * Opens the customer page in a new browser and records what would show in the console: errors, uncaught
 * exceptions and Content-Security-Policy violations (every `securitypolicyviolation` event).
 */
async function openPage(bot, { locale = 'en-US', route = '/' } = {}) {
  const browser = await launchBrowser({ locale });
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  const consoleErrors = [];
  const pageErrors = [];
  page.on('console', message => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', error => pageErrors.push(error.message));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', event => {
      window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  const response = await page.goto(`${bot.url}${route}`);
  return new PortalPage(bot, browser, page, response, consoleErrors, pageErrors);
}

/** The customer page, with the moves a customer makes. */
class PortalPage {
  constructor(bot, browser, page, response, consoleErrors, pageErrors) {
    this.bot = bot;
    this.browser = browser;
    this.page = page;
    this.response = response;
    this.consoleErrors = consoleErrors;
    this.pageErrors = pageErrors;
  }

  /** Console errors, uncaught exceptions and CSP violations so far; [] when the page is clean. */
  async problems() {
    const csp = await this.page.evaluate(() => window.__cspViolations ?? []);
    return [...this.consoleErrors.map(e => `console: ${e}`), ...this.pageErrors.map(e => `exception: ${e}`), ...csp.map(v => `CSP: ${v}`)];
  }

  /** axe-core's violations for the whole page, Web Chat included; [] when there are none. */
  async accessibilityViolations() {
    // evaluate() runs outside the page's CSP, so axe needs no 'unsafe-inline' to get in.
    await this.page.evaluate(fs.readFileSync(AXE, 'utf8'));
    const result = await this.page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
  }

  /** Web Chat is connected: the send box is there and the header says online. */
  async waitForChat() {
    await this.page.locator('[data-id="webchat-sendbox-input"]').waitFor({ timeout: 20000 });
    await this.page.locator('#chat-status[data-i18n="chatOnline"]').waitFor({ timeout: 20000 });
  }

  /** Clicks the demo customer whose name contains `name` (e.g. 'Alice') and waits for the chat to restart. */
  async pickDemoAccount(name) {
    const button = this.page.locator('button.demo-account', { hasText: name });
    await button.waitFor({ timeout: 20000 });
    await button.click();
    await this.page.locator('button.demo-account[aria-pressed="true"]', { hasText: name }).waitFor({ timeout: 20000 });
    await this.page.locator('#account-chip:not([hidden])').waitFor({ timeout: 20000 });
    await this.waitForChat();
  }

  /**
   * Types into Web Chat's send box and presses Enter, as a customer does, then waits for the customer's bubble:
   * `shownAs` is what it must end up showing when that is not the text itself (a secret comes back "[removed]").
   */
  async sendText(text, { shownAs } = {}) {
    const input = this.page.locator('[data-id="webchat-sendbox-input"]');
    await input.click();
    await input.fill(text);
    await input.press('Enter');
    await this.waitForUserText(shownAs ?? text);
  }

  /** Clicks the suggested action (a button under the transcript) whose title matches. */
  async clickSuggestedAction(title) {
    const button = this.page.locator('.webchat__suggested-action', { hasText: title }).first();
    await button.waitFor({ timeout: 20000 });
    await button.click();
  }

  /** The suggested actions on show now: their titles. */
  async suggestedActions() {
    return this.page.locator('.webchat__suggested-action').allInnerTexts();
  }

  /** Texts of the bot's activities in transcript order (bubbles and cards together). */
  async botTexts() {
    return this.#texts(':not(.webchat__stacked-layout--from-user)');
  }

  /** Texts of the customer's own messages in transcript order. */
  async userTexts() {
    return this.#texts('.webchat__stacked-layout--from-user');
  }

  // One string per activity: its bubbles' visible content (text and cards), without the screen-reader-only
  // "Bot said:" labels that each message also carries.
  #texts(which) {
    return this.page.locator(`.webchat__stacked-layout${which}`).evaluateAll(rows =>
      rows.map(row => [...row.querySelectorAll('.webchat__bubble__content')].map(bubble => bubble.innerText.trim()).join('\n')));
  }

  /** Waits until a bot activity's text matches; returns that text. */
  async waitForBotText(pattern, timeout = 20000) {
    return waitFor(async () => (await this.botTexts()).find(text => pattern.test(text)), `a bot message matching ${pattern}`, timeout);
  }

  async waitForUserText(text, timeout = 20000) {
    return waitFor(async () => (await this.userTexts()).find(t => t.includes(text)), `the customer's message "${text}"`, timeout);
  }

  /**
   * In transcript order: 'bot' or 'user' per activity. Lets a test say "a bot message came after mine" without
   * depending on the words.
   */
  async transcriptRoles() {
    return this.page.locator('.webchat__stacked-layout').evaluateAll(rows =>
      rows.map(row => (row.classList.contains('webchat__stacked-layout--from-user') ? 'user' : 'bot')));
  }

  /**
   * Clicks a card's openUrl button (Web Chat renders it as a button that opens a new window), found by its title,
   * and resolves with the new window's page once it has loaded.
   */
  async followCardLink(title) {
    const [popup] = await Promise.all([
      this.browser.context.waitForEvent('page', { timeout: 20000 }),
      this.page.locator('.webchat__basic-transcript .webchat__bubble__content button', { hasText: title }).last().click(),
    ]);
    await popup.waitForLoadState();
    return popup;
  }

  /**
   * On the bot's sign-in page (opened by followCardLink): types the user id and password, submits, and returns
   * the 6-digit code the page then shows (digits only).
   */
  async signInOnPage(popup, { userId, password }) {
    await popup.locator('#userId').fill(userId);
    await popup.locator('#password').fill(password);
    await Promise.all([popup.waitForLoadState(), popup.locator('button[type="submit"]').click()]);
    const code = await popup.locator('p.code').innerText({ timeout: 20000 });
    return code.replace(/\D/g, '');
  }

  /** A full-page PNG in artifacts/test-results/screenshots/<name>.png. */
  async screenshot(name) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  async close() {
    await this.browser.close();
  }
}

module.exports = { startBot, openPage, launchBrowser, waitFor, sleep, freePort, ROOT, SCREENSHOTS };

'use strict';
// Forgotten password, end to end in Chromium: the customer asks in the chat, the bot e-mails a code (to a real SMTP
// listener: a tiny sink below, as netDumbster is .NET), the customer follows the card's link, enters the code and a
// new password on the reset page, and the chat then offers the normal sign-in; Aria accepts only the new password.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const path = require('node:path');
const { startBot, openPage, waitFor, ROOT } = require('./harness');

const NEW_PASSWORD = 'Browser-reset-2026';

/** A minimal SMTP server (plain text, no auth): enough for MailKit to deliver; keeps each message's DATA. */
function startSmtpSink() {
  const messages = [];
  const server = net.createServer(socket => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let data = '';
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', chunk => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(data);
            data = '';
            socket.write('250 OK queued\r\n');
          } else {
            data += (line.startsWith('..') ? line.slice(1) : line) + '\n';
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') socket.write('250 sink\r\n');
        else if (verb === 'DATA') { inData = true; socket.write('354 go ahead\r\n'); }
        else if (verb === 'QUIT') { socket.write('221 bye\r\n'); socket.end(); }
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port,
    messages,
    close: () => new Promise(done => server.close(done)),
  })));
}

/** The 8-digit code on a line of its own in the body of the latest code e-mail to `to`. */
function codeIn(messages, to) {
  const message = [...messages].reverse().find(m => m.includes(`To: ${to}`) && m.includes('Subject: Your password reset code'));
  if (!message) return undefined;
  const body = message.slice(message.indexOf('\n\n'));
  return /^\s*(\d{8})\s*$/m.exec(body)?.[1];
}

describe('resetting a forgotten password (signed-out page)', () => {
  let bot;
  let smtp;
  before(async () => {
    smtp = await startSmtpSink();
    bot = await startBot({
      settings: {
        Email__Host: '127.0.0.1',
        Email__Port: String(smtp.port),
        Email__Tls: 'None',
        Email__FromAddress: 'no-reply@example.com',
      },
    });
  });
  after(async () => {
    await bot?.stop();
    await smtp?.close();
  });

  it('asks the user id in chat, e-mails a code, changes the password on the reset page and offers sign-in', async () => {
    const page = await openPage(bot);
    try {
      await page.waitForChat();
      await page.waitForBotText(/\S/);
      await page.sendText('I forgot my password');
      await page.waitForBotText(/the user id you sign in with/).catch(async error => { throw new Error(error.message + ' — bot said: ' + JSON.stringify(await page.botTexts())); });
      await page.sendText('alice');
      await page.waitForBotText(/just sent an 8-digit code there/);
      await page.screenshot('password-reset-link');

      const popup = await page.followCardLink('Open the reset page');
      assert.match(popup.url(), new RegExp(`^${bot.url}/password-reset\\?state=`));
      const code = await waitFor(() => codeIn(smtp.messages, 'alice@example.com'), 'the code e-mail to alice');
      assert.match(code, /^\d{8}$/);
      // The page tells the rules before anything is typed.
      assert.match(await popup.locator('main').innerText(), /be 10 to 64 characters long/);

      await popup.locator('#code').fill(code);
      await popup.locator('#newPassword').fill(NEW_PASSWORD);
      await popup.locator('#confirmPassword').fill(NEW_PASSWORD);
      await Promise.all([popup.waitForLoadState(), popup.locator('button[type="submit"]').click()]);
      await waitFor(async () => /Password changed/.test(await popup.locator('h1').innerText()), 'the "Password changed" page');
      await popup.screenshot({ path: path.join(ROOT, 'artifacts/test-results/screenshots/password-reset-done.png') });
      await popup.close();

      await page.sendText('done');
      await page.waitForBotText(/Your password has been changed/);
      await page.waitForBotText(/Sign in to your account/);
      await page.screenshot('password-reset-sign-in');

      // Aria: the new password signs in, the old one no longer does; the account's address was told.
      const fresh = await bot.sandbox.aria('set_session_auth_m', { user_id: 'alice', password: NEW_PASSWORD });
      assert.equal(fresh.error_code, 0);
      const old = await bot.sandbox.aria('set_session_auth_m', { user_id: 'alice', password: 'alice-demo-1' });
      assert.notEqual(old.error_code, 0);
      await waitFor(() => smtp.messages.some(m => m.includes('Subject: Your password was changed')), 'the "password changed" notice');
      // The code is in the e-mail only: never in the chat.
      assert.ok(!(await page.botTexts()).some(text => text.includes(code)));
      assert.ok(!(await page.userTexts()).some(text => text.includes(code)));
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
  });
});

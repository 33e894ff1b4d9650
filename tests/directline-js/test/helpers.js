'use strict';
// Runs the real botframework-directlinejs client in node against tests/DirectLine.TestHost.
// DirectLineJS uses rxjs' ajax (XMLHttpRequest) and the global WebSocket, which a browser has and node 20
// has not: xhr2 and ws stand in for them, and the client's own code runs unchanged.
global.XMLHttpRequest = require('xhr2');
global.WebSocket = require('ws');

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DirectLine, ConnectionStatus } = require('botframework-directlinejs');

const SECRET = 'node-suite-direct-line-secret-0123456789';
const SIGNING_KEY = Buffer.alloc(32, 7).toString('base64');
const HOST_DLL = path.resolve(__dirname, '../../DirectLine.TestHost/bin/Debug/net10.0/DirectLine.TestHost.dll');

function tempDb(name) {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dl-js-')), `${name}.db`);
}

/** Starts the test bot; resolves once it prints the address it listens on. */
async function startHost({ db = tempDb('bot'), port = 0, settings = {} } = {}) {
  if (!fs.existsSync(HOST_DLL)) {
    throw new Error(`${HOST_DLL} is missing: build the solution first (dotnet build AriaBot.sln)`);
  }
  const config = {
    'Bot:AllowAnonymous': 'true',
    'State:Provider': 'Sqlite',
    'State:SqlitePath': db,
    'DirectLine:Secrets:0': SECRET,
    'DirectLine:SigningKey': SIGNING_KEY,
    'DirectLine:KeepAliveInterval': '00:00:01',
    'DirectLine:PostWaitTimeout': '00:00:05',
    'Serilog:MinimumLevel:Default': 'Warning',
    ...settings,
  };
  const args = [HOST_DLL, '--urls', `http://127.0.0.1:${port}`, '--environment', 'Production'];
  for (const [key, value] of Object.entries(config)) args.push(`--${key}=${value}`);
  const child = spawn('dotnet', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the test host did not start in 30 s:\n${output}`)), 30000);
    child.stdout.on('data', chunk => {
      output += chunk;
      const match = /LISTENING (\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.stderr.on('data', chunk => { output += chunk; });
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`the test host exited (${code}):\n${output}`)); });
  });
  child.removeAllListeners('exit');
  return {
    url,
    db,
    port: Number(new URL(url).port),
    domain: `${url}/v3/directline`,
    output: () => output,
    /** SIGKILL: a crash, not a graceful stop. */
    kill: () => new Promise(resolve => { child.once('exit', resolve); child.kill('SIGKILL'); }),
    stop: () => new Promise(resolve => { if (child.exitCode !== null) return resolve(); child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

async function call(host, method, route, bearer, body) {
  const response = await fetch(`${host.domain}${route}`, {
    method,
    headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** What a portal's server does: tokens/generate with the secret (optionally a user id and a binding). */
async function generateToken(host, parameters) {
  const { status, body } = await call(host, 'POST', '/tokens/generate', SECRET, parameters);
  if (status !== 200) throw new Error(`tokens/generate answered ${status}`);
  return body;
}

function jwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** A DirectLineJS client that records every activity and status it sees. */
function connect(options) {
  const directLine = new DirectLine({ timeout: 4000, random: () => 0, ...options });
  const activities = [];
  const statuses = [];
  const statusSubscription = directLine.connectionStatus$.subscribe(status => statuses.push(status));
  const activitySubscription = directLine.activity$.subscribe(activity => activities.push(activity), () => {});
  return {
    directLine,
    activities,
    statuses,
    post: activity => new Promise((resolve, reject) => directLine.postActivity(activity).subscribe(resolve, reject)),
    waitFor: (predicate, what, timeout = 15000) => waitFor(() => predicate(activities), what, timeout),
    waitForStatus: (status, timeout = 15000) => waitFor(() => statuses.includes(status), `status ${status}`, timeout),
    close: () => {
      activitySubscription.unsubscribe();
      statusSubscription.unsubscribe();
      directLine.end();
    },
  };
}

async function waitFor(condition, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (condition()) return;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

module.exports = { SECRET, ConnectionStatus, startHost, call, generateToken, jwtPayload, connect, waitFor, sleep, tempDb };

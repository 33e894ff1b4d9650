'use strict';
// Same-run A/B of the Direct Line stream's replay as the real client sees it: botframework-directlinejs rejoins a
// conversation of 1 + 2*POSTS logged activities (a Web Chat page reload) on build A, then on build B, alternating per
// round. Time = connect until the client has emitted every activity; "in order" = emitted in the log's order.
// Usage: node bench/directline-replay-ab.js A/DirectLine.TestHost.dll B/DirectLine.TestHost.dll [POSTS=100] [ROUNDS=3]
// (build tests/DirectLine.TestHost in each checkout; uses tests/directline-js/node_modules and port BENCH_PORT or 5252).
const NM = require('node:path').resolve(__dirname, '../tests/directline-js/node_modules') + '/';
global.XMLHttpRequest = require(NM + 'xhr2');
global.WebSocket = require(NM + 'ws');
const { DirectLine } = require(NM + 'botframework-directlinejs');
const { spawn } = require('node:child_process');
const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path');
const SECRET = 'node-suite-direct-line-secret-0123456789';
const HOSTS = { A: process.argv[2], B: process.argv[3] };
const PORT = Number(process.env.BENCH_PORT || 5252);
async function start(dll) {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dl-ab-')), 'ab.db');
  const cfg = { 'Bot:AllowAnonymous': 'true', 'State:Provider': 'Sqlite', 'State:SqlitePath': db, 'DirectLine:Secrets:0': SECRET,
    'DirectLine:SigningKey': Buffer.alloc(32, 7).toString('base64'), 'DirectLine:MaxPostsPerWindow': '100000', 'DirectLine:MaxReadsPerWindow': '100000', 'Serilog:MinimumLevel:Default': 'Warning' };
  const args = [dll, '--urls', `http://127.0.0.1:${PORT}`, '--environment', 'Production'];
  for (const [k, v] of Object.entries(cfg)) args.push(`--${k}=${v}`);
  const child = spawn('dotnet', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((res, rej) => { child.stdout.on('data', c => { out += c; if (/LISTENING/.test(out)) res(); }); child.on('exit', () => rej(new Error(out))); });
  child.removeAllListeners('exit');
  return { domain: `http://127.0.0.1:${PORT}/v3/directline`, stop: () => new Promise(r => { child.once('exit', r); child.kill('SIGKILL'); }) };
}
async function call(domain, method, route, bearer, body) {
  const r = await fetch(domain + route, { method, headers: { Authorization: `Bearer ${bearer}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const t = await r.text(); return t ? JSON.parse(t) : undefined;
}
async function once(kind, posts) {
  const host = await start(HOSTS[kind]);
  try {
    const { token, conversationId } = await call(host.domain, 'POST', '/tokens/generate', SECRET);
    await call(host.domain, 'POST', '/conversations', token);
    for (let i = 0; i < posts; i++) await call(host.domain, 'POST', `/conversations/${conversationId}/activities`, token, { type: 'message', text: `m${i}`, from: { id: 'x' } });
    const log = [];
    for (let wm = ''; ;) { const set = await call(host.domain, 'GET', `/conversations/${conversationId}/activities?watermark=${wm}`, token); if (!set.activities.length) break; log.push(...set.activities.map(a => a.id)); wm = set.watermark; }
    const t0 = performance.now();
    const dl = new DirectLine({ domain: host.domain, token, conversationId, webSocket: true, timeout: 20000 });
    const seen = [];
    const sub = dl.activity$.subscribe(a => seen.push(a.id));
    while (seen.length < log.length) await new Promise(r => setTimeout(r, 5));
    const ms = performance.now() - t0;
    sub.unsubscribe(); dl.end();
    return { ms, inOrder: JSON.stringify(seen) === JSON.stringify(log), n: log.length };
  } finally { await host.stop(); }
}
(async () => {
  if (!HOSTS.A || !HOSTS.B) { console.error('usage: node bench/directline-replay-ab.js A.dll B.dll [POSTS] [ROUNDS]'); process.exit(2); }
  const posts = Number(process.argv[4] || 100), rounds = Number(process.argv[5] || 3);
  for (let r = 1; r <= rounds; r++) for (const kind of (r % 2 ? ['A', 'B'] : ['B', 'A'])) {
    const { ms, inOrder, n } = await once(kind, posts);
    console.log(`round ${r} ${kind}: ${n} activities replayed to DirectLineJS in ${ms.toFixed(0)} ms, in order: ${inOrder}  [${os.loadavg()[0].toFixed(1)}]`);
  }
  process.exit(0);
})();

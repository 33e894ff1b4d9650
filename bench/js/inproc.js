// In-process: the waterfall under botbuilder's TestAdapter, C conversations at a time for a fixed window, every
// reply checked. Prints one line like bench/AriaBot.Bench's "peer-inproc", and appends "label C turns/s" to --results.
'use strict';
const fs = require('fs');
const { TestAdapter, MemoryStorage } = require('botbuilder');
const { SCRIPT, createBot, check, option } = require('./waterfall');

async function main() {
  const seconds = Number(option('seconds', '10'));
  const warmup = Number(option('warmup', '5'));
  const concurrency = Number(option('concurrency', '1'));
  const results = option('results', null);
  const logic = createBot(new MemoryStorage());
  let turns = 0;
  let errors = 0;
  let firstError = null;
  let next = 0;
  // Phases by the clock, not by timers: a loop whose awaits all resolve as microtasks would starve a setTimeout.
  const now = () => Number(process.hrtime.bigint()) / 1e9;
  const begin = now();
  const measureFrom = begin + warmup;
  const measureTo = measureFrom + seconds;

  async function user() {
    while (now() < measureTo) {
      const id = `c${next++}`;
      const adapter = new TestAdapter(logic, { channelId: 'test', conversation: { id }, from: { id: `u-${id}` }, recipient: { id: 'bot' }, locale: 'en-US' });
      for (let turn = 0; turn < SCRIPT.length; turn++) {
        await adapter.receiveActivity(SCRIPT[turn][0]);
        const problem = check(adapter.activeQueue.splice(0), turn);
        const at = now();
        if (at < measureFrom || at > measureTo) continue;
        if (problem) { errors++; firstError = firstError || problem; } else { turns++; }
      }
      // One macrotask turn per conversation, so C conversations interleave as they would on a server.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  await Promise.all(Array.from({ length: concurrency }, user));
  const elapsed = seconds;
  const rate = turns / elapsed;
  console.log(`js-inproc  C=${String(concurrency).padEnd(3)} ${rate.toFixed(0).padStart(8)} turns/s  errors ${errors}`);
  if (firstError) console.log(`  error: ${firstError}`);
  if (results) fs.appendFileSync(results, `js-inproc\t${concurrency}\t${rate.toFixed(1)}\n`);
  process.exit(errors === 0 && turns > 0 ? 0 : 1);
}

main().catch((error) => { console.error(error); process.exit(1); });

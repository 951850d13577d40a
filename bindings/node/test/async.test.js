// Off the event loop, and cancellation: the loop keeps turning under 1,000 concurrent
// verifies, and a call whose AbortSignal fired before its request was written is never
// written (the sandbox counts what it received).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');
const nameauth = require('nameauth');
const { sandbox } = require('nameauth/testing');
const { ZS, slow, POOL } = require('./helpers.js');

let sb;
before(() => {
  sb = sandbox();
});
after(() => sb.close());

test('the event loop keeps turning under 1,000 concurrent verifies', async () => {
  // 10 ms per answer, at most POOL at once: the calls take about 1000 / POOL x 10 ms.
  sb.addFixture('oTen', slow(10));
  const c = sb.client({ timeoutMs: 60_000 });
  let pending = 1000;
  let turnsWhilePending = 0;
  let pendingAtFirstTurn = -1;
  const calls = Array.from({ length: 1000 }, () =>
    c.verify('oTen', ...ZS.slice(1)).finally(() => {
      pending -= 1;
    }),
  );
  await new Promise((resolve) => {
    const turn = () => {
      if (pendingAtFirstTurn < 0) pendingAtFirstTurn = pending;
      if (pending === 0) return resolve();
      turnsWhilePending += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
  });
  const verdicts = await Promise.all(calls);
  assert.ok(verdicts.every((v) => v.code === 'A'));
  // Had verify run on the loop's thread, every call would have ended before the loop's
  // first turn (and the loop would not have turned in between); a few may end in the
  // first turn's poll phase, before its check phase.
  assert.ok(pendingAtFirstTurn > 900, `pending at the first turn: ${pendingAtFirstTurn}`);
  assert.ok(turnsWhilePending >= 50, `the loop turned ${turnsWhilePending} times`);
  assert.equal(sb.hits('oTen'), 1000);
  c.close();
});

test('calls aborted before their requests are written are never sent', async () => {
  sb.addFixture('oSlowAbort', slow(2000));
  const c = sb.client({ timeoutMs: 10_000 });
  const controller = new AbortController();
  // POOL calls hold every thread of the pool for 2 s; the other 96 wait in libuv's queue
  // when the signal fires (once the sandbox holds a first request, well before its answer),
  // so the order "abort, then the write" is forced for them.
  const calls = Array.from({ length: 100 }, () =>
    c.verify('oSlowAbort', ...ZS.slice(1), null, { signal: controller.signal }).then(
      (v) => v.code,
      (e) => e,
    ),
  );
  for (let waited = 0; sb.hits('oSlowAbort') === 0; waited += 10) {
    assert.ok(waited < 20_000, 'no request reached the sandbox');
    await sleep(10);
  }
  controller.abort();
  const out = await Promise.all(calls);
  const written = out.filter((r) => r === 'A').length;
  const cancelled = out.filter((r) => r instanceof nameauth.CancelledError);
  assert.equal(written + cancelled.length, 100, String(out));
  // The calls written before the abort ran to their end: their answers are not lost.
  assert.ok(written >= 1 && written <= POOL, `written ${written}`);
  assert.equal(sb.hits('oSlowAbort'), written);
  assert.equal(c.stats().errors.cancelled, cancelled.length);
  assert.deepEqual([cancelled[0].kind, cancelled[0].name], ['cancelled', 'CancelledError']);
  // Nothing more arrives later.
  await sleep(300);
  assert.equal(sb.hits('oSlowAbort'), written);
  c.close();
});

test('a signal aborted already sends nothing', async () => {
  const c = sb.client();
  const before = sb.stats().requests;
  await assert.rejects(c.verify(...ZS, null, { signal: AbortSignal.abort() }), nameauth.CancelledError);
  assert.equal(sb.stats().requests, before);
  await assert.rejects(c.verify(...ZS, null, { signal: 'no' }), { field: 'signal' });
  c.close();
});

test('a client never closed is collected', { skip: typeof global.gc !== 'function' && 'needs --expose-gc' }, async () => {
  let collected = 0;
  const registry = new FinalizationRegistry((i) => {
    if (i < 20) collected += 1;
  });
  const use = async (i) => {
    const c = sb.client();
    await c.verify(...ZS);
    registry.register(c, i);
  };
  for (let i = 0; i < 20; i++) await use(i);
  // One more call, so no closure of the loop holds the last client.
  await use(20);
  for (let i = 0; i < 50 && collected < 20; i++) {
    global.gc();
    await sleep(20);
  }
  assert.equal(collected, 20);
});

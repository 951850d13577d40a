// Bad orders of events at the JavaScript boundary: a client closed while its calls are in
// flight, a logger that fails after the verdict is in hand, a signal shared by many calls.
// Each test forces its order with the sandbox's slow fixtures and counts what the sandbox
// received: a verdict is never lost, a user is never sent twice, the host never crashes.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');
const { sandbox } = require('nameauth/testing');
const { ZS, slow, POOL } = require('./helpers.js');

let sb;
before(() => {
  sb = sandbox();
});
after(() => sb.close());

/** Waits until the sandbox holds `n` requests of `openid` (the writes happened). */
async function written(openid, n) {
  for (let waited = 0; sb.hits(openid) < n; waited += 10) {
    assert.ok(waited < 20_000, `${openid}: ${sb.hits(openid)} of ${n} requests arrived`);
    await sleep(10);
  }
}

test('close() with calls written and calls queued: every verdict arrives, each user sent once', async () => {
  sb.addFixture('oCloseInFlight', slow(500));
  const c = sb.client({ timeoutMs: 20_000 });
  // POOL calls hold the pool's threads (written, waiting for the answer); two more wait
  // in libuv's queue when close() runs.
  const calls = Array.from({ length: POOL + 2 }, () => c.verify('oCloseInFlight', ...ZS.slice(1)));
  await written('oCloseInFlight', 1);
  c.close();
  assert.equal(c.closed, true);
  const codes = (await Promise.all(calls)).map((v) => v.code);
  assert.deepEqual(codes, Array(POOL + 2).fill('A'));
  assert.equal(sb.hits('oCloseInFlight'), POOL + 2);
  // Closed for new calls, which send nothing.
  await assert.rejects(c.verify('oCloseInFlight', ...ZS.slice(1)), { name: 'InvalidConfigError', field: 'client' });
  assert.equal(sb.hits('oCloseInFlight'), POOL + 2);
});

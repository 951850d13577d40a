// Bad orders of events at the JavaScript boundary: a client closed, or unreachable, while
// its calls are in flight; a logger that fails after the verdict is in hand; a signal
// shared by many calls, or one that is not quite an AbortSignal; the caller's getters
// that throw; a worker that exits with calls queued; the package loaded afresh. Each test
// forces its order with the sandbox's slow fixtures and counts what the sandbox received:
// a verdict is never lost, a user is never sent twice, nothing is left behind.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { getEventListeners, once } = require('node:events');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { setTimeout: sleep } = require('node:timers/promises');
const nameauth = require('nameauth');
const { sandbox } = require('nameauth/testing');
const { ZS, slow, POOL } = require('./helpers.js');

const { Client } = nameauth;

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

test('a client unreachable while its calls are in flight: collected only after, every verdict arrives', {
  skip: typeof global.gc !== 'function' && 'needs --expose-gc',
}, async () => {
  sb.addFixture('oDroppedClient', slow(300));
  let collected = false;
  const registry = new FinalizationRegistry(() => {
    collected = true;
  });
  // Nothing but the calls' promises refers to the client after this.
  const calls = (() => {
    const c = sb.client({ timeoutMs: 20_000 });
    registry.register(c, null);
    return Array.from({ length: POOL + 2 }, () => c.verify('oDroppedClient', ...ZS.slice(1)));
  })();
  await written('oDroppedClient', 1);
  for (let i = 0; i < 5; i++) {
    global.gc();
    await sleep(10);
  }
  assert.equal(collected, false, 'collected with calls in flight');
  assert.deepEqual(
    (await Promise.all(calls)).map((v) => v.code),
    Array(POOL + 2).fill('A'),
  );
  assert.equal(sb.hits('oDroppedClient'), POOL + 2);
  for (let i = 0; i < 50 && !collected; i++) {
    global.gc();
    await sleep(20);
  }
  assert.equal(collected, true, 'never collected');
});

test('a logger that fails after the verdict is in hand, at once or by rejecting later: the verdict arrives, the failure is a process warning', async () => {
  // Retried once (a 503), so the call logs a warn line (that logger method throws) and an
  // info line (that one is async and rejects after the call has returned).
  sb.addFixture('oLoggerFails', { ...slow(0), fault: 'http_503', fail_times: 1 });
  const warnings = [];
  const rejections = [];
  const onWarning = (w) => warnings.push(w);
  const onRejection = (r) => rejections.push(r);
  process.on('warning', onWarning);
  process.on('unhandledRejection', onRejection);
  try {
    const logger = {
      warn: () => {
        throw new Error('warn is down');
      },
      info: async () => {
        await sleep(10);
        throw new Error('info is down');
      },
    };
    const c = sb.client({ logger, retries: 1 });
    assert.equal((await c.verify('oLoggerFails', ...ZS.slice(1))).code, 'A');
    for (let waited = 0; warnings.length < 2; waited += 10) {
      assert.ok(waited < 10_000, `warnings: ${warnings.map(String)}, rejections: ${rejections.map(String)}`);
      await sleep(10);
    }
    assert.deepEqual(warnings.map((w) => [w.name, w.code, w.message]).sort(), [
      ['NameauthLoggerWarning', 'NAMEAUTH_LOGGER_FAILED', "nameauth: the logger's info failed: info is down"],
      ['NameauthLoggerWarning', 'NAMEAUTH_LOGGER_FAILED', "nameauth: the logger's warn failed: warn is down"],
    ]);
    assert.deepEqual(rejections, []);
    // Sent twice: the 503, which the server cannot have processed, then the answer.
    assert.equal(sb.hits('oLoggerFails'), 2);
    // Nor when the warning itself cannot be emitted.
    const emitWarning = process.emitWarning;
    process.emitWarning = () => {
      throw new Error('no warnings here');
    };
    try {
      assert.equal((await c.verify('oZhangSan', ...ZS.slice(1))).code, 'A');
      await sleep(50);
    } finally {
      process.emitWarning = emitWarning;
    }
    assert.deepEqual(rejections, []);
    c.close();
  } finally {
    process.off('warning', onWarning);
    process.off('unhandledRejection', onRejection);
  }
});

test('one AbortSignal shared by many calls in flight: one listener while they are, none after, every verdict, each user sent once', async () => {
  sb.addFixture('oSharedSignal', slow(50));
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const c = sb.client({ timeoutMs: 20_000 });
    const { signal } = new AbortController();
    // verifyMany's 16 workers at once, all on the one signal (Node warns past 10 listeners).
    const many = c.verifyMany(
      Array.from({ length: 40 }, () => ['oSharedSignal', ...ZS.slice(1)]),
      { signal },
    );
    await written('oSharedSignal', 1);
    assert.equal(getEventListeners(signal, 'abort').length, 1);
    const out = await many;
    await new Promise(setImmediate);
    // None once its calls ended (Node keeps an AbortSignal.timeout() with a listener alive).
    assert.equal(getEventListeners(signal, 'abort').length, 0);
    assert.deepEqual(
      out.map((v) => v.code),
      Array(40).fill('A'),
    );
    assert.deepEqual(
      warnings.map((w) => `${w.name}: ${w.message}`),
      [],
    );
    assert.equal(sb.hits('oSharedSignal'), 40);
    c.close();
  } finally {
    process.off('warning', onWarning);
  }
});

test('a signal-like object without removeEventListener: its call, once written, still returns the verdict', async () => {
  // verify accepts any object with addEventListener and aborted; nothing may fail after
  // the answer arrived (the user was checked: a lost verdict means checking them again).
  sb.addFixture('oSignalLike', slow(0));
  const c = sb.client();
  const signal = { aborted: false, addEventListener() {} };
  assert.equal((await c.verify('oSignalLike', ...ZS.slice(1), null, { signal }).catch((e) => e)).code, 'A');
  assert.equal(sb.hits('oSignalLike'), 1);
  c.close();
});

test('getters, Proxies and iterators that throw: an error naming the field, the thrown error its cause, nothing sent', async () => {
  const boom = new Error('user code threw');
  // `obj` with a getter at `key` that throws.
  const thrower = (key, obj = {}) =>
    Object.defineProperty({ ...obj }, key, {
      enumerable: true,
      get() {
        throw boom;
      },
    });
  const base = { ...sb.credentials, endpoint: sb.endpoint };
  const c = sb.client();
  const before = sb.stats().requests;
  const cases = [
    ['invalid_config', 'key', () => new Client(thrower('key', base))],
    ['invalid_config', 'timeoutMs', () => new Client(thrower('timeoutMs', base))],
    [
      'invalid_config',
      'options',
      () =>
        new Client(
          new Proxy(base, {
            ownKeys: () => {
              throw boom;
            },
          }),
        ),
    ],
    ['invalid_config', 'logger', () => new Client({ ...base, logger: thrower('info', { warn() {} }) })],
    ['invalid_config', 'logger', () => Client.fromEnv(thrower('logger'))],
    ['invalid_input', 'signal', () => c.verify(...ZS, null, thrower('signal'))],
    ['invalid_input', 'signal', () => c.verify(...ZS, null, { signal: thrower('aborted', { addEventListener() {} }) })],
    [
      'invalid_input',
      'signal',
      () =>
        c.verify(...ZS, null, {
          signal: {
            aborted: false,
            addEventListener: () => {
              throw boom;
            },
          },
        }),
    ],
    ['invalid_input', 'concurrency', () => c.verifyMany([ZS], thrower('concurrency'))],
    [
      'invalid_input',
      'items',
      () =>
        c.verifyMany({
          [Symbol.iterator]: () => {
            throw boom;
          },
        }),
    ],
    ['invalid_input', 'sign_case', () => nameauth.sign(...ZS, ...ZS, 'k', thrower('signCase'))],
  ];
  for (const [i, [kind, field, f]] of cases.entries()) {
    const e = await (async () => f())().then(
      () => assert.fail(`case ${i} did not fail`),
      (err) => err,
    );
    assert.ok(e instanceof nameauth.NameauthError, `case ${i}: ${e.stack}`);
    assert.deepEqual([e.kind, e.field, e.rule, e.cause], [kind, field, 'bad_value', boom], `case ${i}`);
  }
  // Not an iterable at all, and one user's getter that throws: named, in the user's place.
  await assert.rejects(c.verifyMany(5), { name: 'InvalidInputError', field: 'items', rule: 'bad_value' });
  const out = await c.verifyMany([
    Object.defineProperty(['oZhangSan', '张三'], 2, {
      get() {
        throw boom;
      },
    }),
    thrower('creid', { openid: 'oZhangSan', truename: '张三' }),
  ]);
  assert.deepEqual(
    out.map((e) => [e.name, e.field, e.cause]),
    [
      ['InvalidInputError', 'creid', boom],
      ['InvalidInputError', 'creid', boom],
    ],
  );
  assert.equal(sb.stats().requests, before);
  c.close();
});

test('a worker that exits with calls written and calls queued: the queued ones are never sent, the host lives on', async () => {
  // POOL calls hold the pool's threads for 6 s (written, waiting for the answer); the
  // other 4 wait in libuv's queue when the worker calls process.exit(). Node finishes
  // the worker only once its calls have run, so those 4 would be sent for nobody.
  sb.addFixture('oWorkerExits', slow(6000)); // the margin for the exit message, on a busy machine
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Client } = require(workerData.pkg);
    const c = new Client(workerData.options);
    for (let i = 0; i < workerData.calls; i++) c.verify(...workerData.user).catch(() => {});
    parentPort.on('message', () => process.exit(0));`;
  const worker = new Worker(code, {
    eval: true,
    workerData: {
      pkg: path.join(__dirname, '..'),
      options: { ...sb.credentials, endpoint: sb.endpoint, timeoutMs: 20_000 },
      user: ['oWorkerExits', ...ZS.slice(1)],
      calls: POOL + 4,
    },
  });
  await written('oWorkerExits', POOL);
  worker.postMessage('exit');
  assert.equal((await once(worker, 'exit'))[0], 0);
  // The pool is free again: the host's own calls run, and nothing of the worker's arrives.
  const c = sb.client();
  assert.equal((await c.verify(...ZS)).code, 'A');
  await sleep(300);
  assert.equal(sb.hits('oWorkerExits'), POOL);
  c.close();
});

test('the package loaded afresh many times (Jest loads it once per test file): no listener left on process', async () => {
  const dir = path.join(__dirname, '..');
  const fresh = () => {
    for (const file of Object.keys(require.cache)) if (path.dirname(file) === dir && file.endsWith('.js')) delete require.cache[file];
    return require(dir);
  };
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  const listeners = process.listenerCount('exit');
  try {
    for (let i = 0; i < 12; i++) {
      const { Client } = fresh();
      const c = new Client({ ...sb.credentials, endpoint: sb.endpoint });
      assert.equal((await c.verify(...ZS)).code, 'A');
      c.close();
    }
    await new Promise(setImmediate);
    assert.equal(process.listenerCount('exit'), listeners);
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  } finally {
    process.off('warning', onWarning);
    fresh();
  }
});

test("an 'exit' event emitted by a library while calls are in flight: later calls still run", async () => {
  sb.addFixture('oFalseExit', slow(300));
  const c = sb.client({ timeoutMs: 20_000 });
  const { signal } = new AbortController();
  const calls = [c.verify('oFalseExit', ...ZS.slice(1)), c.verify('oFalseExit', ...ZS.slice(1), null, { signal })];
  await written('oFalseExit', 2);
  process.emit('exit', 0);
  // Written before the event: they end as they would have.
  assert.deepEqual(
    (await Promise.all(calls)).map((v) => v.code),
    ['A', 'A'],
  );
  // The environment goes on, and so do calls without a signal and with that signal.
  assert.equal((await c.verify(...ZS)).code, 'A');
  assert.equal((await c.verify(...ZS, null, { signal })).code, 'A');
  c.close();
});

// Nothing crashes the host: a process that calls process.exit() while its verifies (and a
// worker's) are queued, written, or being answered exits with its own status and prints
// nothing; a worker terminated with calls in flight takes the process with it neither.
// Each run forces its stage with the sandbox's hit count, and no user is sent twice.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { sandbox } = require('nameauth/testing');
const { ZS, slow, POOL } = require('./helpers.js');

const RUNS = 24;
const CALLS = 3 * POOL; // per thread: POOL written at once, the rest queued

// The child: CALLS verifies in its main thread and CALLS in a worker, half of them with a
// signal; on the parent's word it exits with 7, or first terminates the worker and waits
// until the worker is gone.
const CHILD = `
const { Worker } = require('node:worker_threads');
const [pkg, options, user, calls] = JSON.parse(process.argv[1]);
const start = \`
  const { Client } = require(\${JSON.stringify(pkg)});
  const c = new Client(\${JSON.stringify(options)});
  const { signal } = new AbortController();
  for (let i = 0; i < \${calls}; i++) c.verify(...\${JSON.stringify(user)}, null, i % 2 ? { signal } : undefined).catch(() => {});\`;
const worker = new Worker(start, { eval: true });
new Function('require', start)(require);
process.on('message', (terminate) => {
  if (terminate) worker.terminate().then(() => process.exit(7));
  else process.exit(7);
});
process.send('started');
`;

let sb;
before(() => {
  sb = sandbox();
});
after(() => sb.close());

test(`process.exit() with calls queued, written or being answered, in a worker too: status 7, nothing printed (${RUNS} runs)`, async () => {
  const pkg = path.join(__dirname, '..');
  const options = { ...sb.credentials, endpoint: sb.endpoint, timeoutMs: 10_000 };
  for (let run = 0; run < RUNS; run++) {
    const openid = `oExit${run}`;
    sb.addFixture(openid, slow(30));
    const user = [openid, ...ZS.slice(1)];
    const child = spawn(process.execPath, ['-e', CHILD, JSON.stringify([pkg, options, user, CALLS])], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = once(child, 'exit');
    await once(child, 'message');
    // Stage 0: every call queued or being written; 1: some written; 2: answers arriving.
    const stage = run % 3;
    const want = [0, 1, POOL + 1][stage];
    for (let waited = 0; sb.hits(openid) < want; waited += 5) {
      assert.ok(waited < 20_000, `run ${run}: ${sb.hits(openid)} of ${want} requests arrived`);
      await sleep(5);
    }
    child.send(run % 2 === 1);
    const [code, signal] = await exited;
    assert.deepEqual([code, signal, output], [7, null, ''], `run ${run} (stage ${stage})`);
    assert.ok(sb.hits(openid) <= 2 * CALLS, `run ${run}: ${sb.hits(openid)} requests for ${2 * CALLS} calls`);
  }
});

// The key never appears, and names and ID numbers only masked, on every channel: error
// messages and their inspect/JSON, util.inspect, String and JSON.stringify of the client
// and the verdict, and the logger's lines. A logger that throws never takes the verdict.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { inspect } = require('node:util');
const nameauth = require('nameauth');
const { sandbox } = require('nameauth/testing');
const { load } = require('../native.js');

const KEY = 'Zq9SecretKeyZq9SecretKeyZq9Secre';
const NAME = '欧阳娜娜';
const ID = '110101199003074477';
let sb;
before(() => {
  sb = sandbox();
  sb.addFixture('oSecretUser', { status: 1, truename: NAME, creid: ID });
  sb.addFixture('oRetry503', { fault: 'http_503', fail_times: 1, status: 1, truename: NAME, creid: ID });
});
after(() => sb.close());

function clean(where, text) {
  assert.ok(!text.includes(KEY), `${where} shows the key: ${text}`);
  assert.ok(!text.includes(NAME), `${where} shows the name: ${text}`);
  assert.ok(!text.includes(ID), `${where} shows the ID number: ${text}`);
  assert.ok(!text.includes(KEY.slice(0, 12)), `${where} shows part of the key: ${text}`);
}

test('no channel shows the key, the name or the ID number', async () => {
  const lines = [];
  const logger = { info: (m) => lines.push(['info', m]), warn: (m) => lines.push(['warn', m]) };
  const right = sb.client({ logger, timeoutMs: 400, retries: 1 });
  const wrongKey = new nameauth.Client({ ...sb.credentials, key: KEY, endpoint: sb.endpoint, logger, timeoutMs: 400 });
  const outputs = [];
  const v = await right.verify('oSecretUser', NAME, ID);
  assert.equal(v.code, 'A');
  assert.equal(v.nameMask, '*阳娜娜');
  outputs.push(['verdict inspect', inspect(v)], ['verdict toString', String(v)], ['verdict JSON', JSON.stringify(v)]);
  assert.ok(!inspect(v).includes('*阳娜娜') && !String(v).includes('*阳娜娜'), 'inspect and toString leave name_mask out');
  // Retried once (a 503), so a warn line too.
  assert.equal((await right.verify('oRetry503', NAME, ID)).code, 'A');
  assert.equal((await wrongKey.verify('oSecretUser', NAME, ID)).reason, 'sign_invalid');
  for (const client of [right, wrongKey]) {
    outputs.push(['client inspect', inspect(client)], ['client String', String(client)], ['client JSON', JSON.stringify(client)]);
  }
  const failing = [
    () => wrongKey.verify('oSecretUser', `${NAME}1`, ID),
    () => wrongKey.verify('oSecretUser', NAME, `${ID.slice(0, 17)}0`),
    () => right.verify('oHttp500', NAME, ID),
    () => right.verify('oSlow', NAME, ID),
    () => right.verify('oGarbage', NAME, ID),
    () => wrongKey.verify('oSecretUser', NAME, ID, null, { signal: AbortSignal.abort() }),
    async () => new nameauth.Client({ ...sb.credentials, key: `${KEY}\u0001`, endpoint: sb.endpoint }),
    async () => new nameauth.Client({ ...sb.credentials, key: KEY, endpoint: `http://user:${KEY}@example.com/x` }),
    async () => new nameauth.Client({ ...sb.credentials, key: KEY, proxy: `http://u:${KEY}@` }),
    async () => nameauth.sign('wx1', 'o', 's', NAME, ID, null, `${KEY}\n`),
    async () => nameauth.validateId(`${ID.slice(0, 17)}0`),
  ];
  for (const [i, f] of failing.entries()) {
    const e = await f().then(
      () => assert.fail(`case ${i} did not fail`),
      (err) => err,
    );
    assert.ok(e instanceof nameauth.NameauthError, `case ${i}: ${e}`);
    outputs.push(
      [`error ${i} message`, e.message],
      [`error ${i} inspect`, inspect(e)],
      [`error ${i} JSON`, JSON.stringify(e)],
      [`error ${i} stack`, e.stack],
    );
  }
  assert.ok(
    lines.some(([level]) => level === 'warn'),
    'a retry was logged as a warning',
  );
  assert.ok(lines.filter(([level]) => level === 'info').length >= 8, 'every call was logged');
  for (const [level, line] of lines) outputs.push([`logger ${level}`, line]);
  for (const [where, text] of outputs) clean(where, text);
  // Masked, not dropped: the lines say which user.
  assert.ok(lines.some(([, line]) => line.includes('truename=*')));
});

test('a logger that throws never takes the verdict or the error', async () => {
  const boom = () => {
    throw new Error('logger down');
  };
  const c = sb.client({ logger: { info: boom, warn: boom } });
  assert.equal((await c.verify('oSecretUser', NAME, ID)).code, 'A');
  await assert.rejects(c.verify('oSecretUser', '', ID), nameauth.InvalidInputError);
});

test('a logger at warn (pino, winston: isLevelEnabled) gets only retries and failovers', async () => {
  const lines = [];
  const logger = {
    isLevelEnabled: (level) => level === 'warn',
    info: (m) => lines.push(['info', m]),
    warn: (m) => lines.push(['warn', m]),
  };
  const c = sb.client({ logger });
  await c.verify('oSecretUser', NAME, ID);
  assert.deepEqual(lines, []);
  sb.addFixture('oRetry503', { fault: 'http_503', fail_times: 1, status: 1, truename: NAME, creid: ID });
  await c.verify('oRetry503', NAME, ID);
  assert.ok(lines.length >= 1 && lines.every(([level]) => level === 'warn'), JSON.stringify(lines));
  assert.throws(() => sb.client({ logger: { info() {} } }), { name: 'InvalidConfigError', field: 'logger' });
});

test('a missing platform package is an error that names it', () => {
  assert.throws(
    () => load('no-such-addon'),
    (e) => e.code === 'NAMEAUTH_NATIVE_MISSING' && /the package nameauth-linux-x64-gnu is not installed/.test(e.message),
  );
});

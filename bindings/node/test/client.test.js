// The client against the sandbox: verdicts, options, errors per kind, close, fromEnv,
// verifyMany's order, sign and validateId.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const nameauth = require('nameauth');
const { sandbox } = require('nameauth/testing');
const { ZS, slow } = require('./helpers.js');

const { Client, Verdict } = nameauth;
let sb;
before(() => {
  sb = sandbox();
  sb.addFixture('oSlowT', slow(3000));
});
after(() => sb.close());

test('a verdict carries every field of every front end', async () => {
  const c = sb.client();
  const v = await c.verify(...ZS);
  assert.ok(v instanceof Verdict);
  assert.deepEqual(
    { code: v.code, reason: v.reason, passed: v.passed, cfg: v.isConfigProblem, e: v.errorCode, s: v.nameauthStatus, m: v.nameMask },
    { code: 'A', reason: 'verified', passed: true, cfg: false, e: 0, s: '1', m: '*三' },
  );
  assert.ok(v.messageZh && v.messageEn && v.adviceZh && v.adviceEn);
  const b = await c.verify('oWangXiaoming', '李四', '110101199003074477');
  assert.equal(b.code, 'D');
  assert.equal(b.notmatchParam, '1|2');
  const bad = await c.verify('oSignInvalid', '张三', ZS[2]);
  assert.equal(bad.code, 'Other');
  assert.equal(bad.isConfigProblem, true);
  assert.equal(bad.passed, false);
  assert.equal(
    JSON.stringify(v),
    '{"code":"A","reason":"verified","error_code":0,"nameauth_status":"1","notmatch_param":"","name_mask":"*三"}',
  );
  c.close();
});

test('every option of the configuration table reaches the core in camel case', async () => {
  const base = { ...sb.credentials, endpoint: sb.endpoint };
  const refused = {
    timeoutMs: 0,
    connectTimeoutMs: 0,
    retries: 11,
    idleTimeoutMs: 0,
    signCase: 'UPPER',
    endpoint: '',
    fallbackEndpoint: '',
    caFile: '/nonexistent/ca.pem',
    proxy: 'not a url',
  };
  for (const [name, value] of Object.entries(refused)) {
    assert.throws(
      () => new Client({ ...base, [name]: value }),
      // Named as the caller wrote it (timeoutMs), not by the core's name (timeout_ms).
      (e) =>
        e instanceof nameauth.InvalidConfigError && e.kind === 'invalid_config' && e.field === name && e.message.startsWith(`${name}: `),
      name,
    );
  }
  // Accepted ones change what the client does.
  const upper = new Client({ ...base, signCase: 'upper' });
  assert.equal((await upper.verify(...ZS)).reason, 'sign_invalid');
  const noRules = new Client({ ...base, idRules: false, retries: 0, timeoutMs: 5000, connectTimeoutMs: 1000, idleTimeoutMs: 100 });
  // With idRules off, a wrong check character is the server's to judge.
  assert.equal((await noRules.verify('oUnknown', '张三', '110101199003074478')).code, 'F');
  const strict = new Client(base);
  await assert.rejects(strict.verify('oUnknown', '张三', '110101199003074478'), { name: 'InvalidInputError', rule: 'id_check_character' });
  const http = sb.endpoint.replace('127.0.0.1', 'localhost');
  assert.throws(() => new Client({ ...base, endpoint: http.replace('localhost', 'example.com') }), { kind: 'invalid_config' });
  new Client({ ...base, endpoint: http.replace('localhost', 'example.com'), allowHttp: true }).close();
  const failover = new Client({ ...base, endpoint: 'http://127.0.0.1:1/x', fallbackEndpoint: sb.endpoint, retries: 0 });
  assert.equal((await failover.verify(...ZS)).code, 'A');
  assert.equal(failover.stats().failovers, 1);
  assert.throws(() => new Client({ ...base, timeoutMS: 5 }), { name: 'InvalidConfigError', field: 'options', rule: 'unknown_option' });
  assert.throws(() => new Client({ ...base, retries: '2' }), { field: 'retries', rule: 'bad_value' });
  assert.throws(() => new Client({ ...base, idRules: 'false' }), { field: 'idRules', rule: 'bad_value' });
});

test('each error kind is its own class with kind, field and rule', async () => {
  const c = sb.client({ timeoutMs: 300, retries: 0 });
  const cases = [
    [['oZhangSan', '', ZS[2]], nameauth.InvalidInputError, 'invalid_input', 'truename', 'empty'],
    [['oSlowT', ...ZS.slice(1)], nameauth.TimeoutError, 'timeout', null, null],
    [['oHttp500', ...ZS.slice(1)], nameauth.TransportError, 'transport', null, null],
    [['oGarbage', ...ZS.slice(1)], nameauth.ProtocolError, 'protocol', null, null],
  ];
  for (const [args, Class, kind, field, rule] of cases) {
    await assert.rejects(c.verify(...args), (e) => {
      assert.ok(e instanceof Class && e instanceof nameauth.NameauthError && e instanceof Error, e.name);
      assert.deepEqual([e.kind, e.field, e.rule, e.name], [kind, field, rule, Class.name]);
      return true;
    });
  }
  await assert.rejects(c.verify('oHttp500', ...ZS.slice(1)), { httpStatus: 500 });
  assert.throws(() => new Client({ appid: 'wx1234567890abcdef', src: 's' }), { name: 'InvalidConfigError', field: 'key' });
  // Not strings: named, nothing sent.
  await assert.rejects(c.verify('oZhangSan', 42, ZS[2]), { name: 'InvalidInputError', field: 'truename', rule: 'bad_value' });
  // A lone surrogate would reach Rust as U+FFFD: refused instead, nothing sent.
  const before = sb.stats().requests;
  await assert.rejects(c.verify('oZhangSan', '张\uD800', ZS[2]), { field: 'truename', rule: 'invalid_utf8' });
  assert.equal(sb.stats().requests, before);
  c.close();
});

test('a closed client refuses calls; closing twice is harmless', async () => {
  const c = sb.client();
  assert.equal(c.closed, false);
  c.close();
  c.close();
  assert.equal(c.closed, true);
  await assert.rejects(c.verify(...ZS), { name: 'InvalidConfigError', field: 'client' });
});

test('Client.fromEnv reads the NAMEAUTH_* variables', async () => {
  const saved = { ...process.env };
  try {
    Object.assign(process.env, {
      NAMEAUTH_APPID: sb.credentials.appid,
      NAMEAUTH_SRC: sb.credentials.src,
      NAMEAUTH_KEY: sb.credentials.key,
      NAMEAUTH_ENDPOINT: sb.endpoint,
      NAMEAUTH_SIGN_CASE: 'upper',
    });
    const c = Client.fromEnv();
    assert.equal(c.endpoint, sb.endpoint);
    assert.equal((await c.verify(...ZS)).reason, 'sign_invalid');
    delete process.env.NAMEAUTH_KEY;
    assert.throws(() => Client.fromEnv(), { name: 'InvalidConfigError', rule: 'missing' });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});

test('verifyMany answers in input order, errors in their places', async () => {
  const c = sb.client({ timeoutMs: 5000 });
  const items = [
    ['oPoliceOnly', ...ZS.slice(1)],
    { openid: 'oZhangSan', truename: '张三', creid: ZS[2] },
    ['oZhangSan', '', ZS[2]],
    ['oNotRealname', ...ZS.slice(1)],
    ['oPassport', 'JOHN SMITH', 'E12345678', '2'],
  ];
  const out = await c.verifyMany(items, { concurrency: 3 });
  assert.deepEqual(
    out.map((r) => (r instanceof nameauth.NameauthError ? r.kind : r.code)),
    ['E', 'A', 'invalid_input', 'F', 'A'],
  );
  const many = await c.verifyMany(
    Array.from({ length: 40 }, (_, i) => (i % 2 ? ['oPoliceOnly', ...ZS.slice(1)] : ZS)),
    { concurrency: 7 },
  );
  assert.deepEqual(
    many.map((v) => v.code),
    Array.from({ length: 40 }, (_, i) => (i % 2 ? 'E' : 'A')),
  );
  await assert.rejects(c.verifyMany([], { concurrency: 0 }), { field: 'concurrency' });
});

test('sign and validateId take every front end argument order and agree with the CLI', () => {
  const cli = path.join(__dirname, '..', '..', '..', 'target', 'debug', 'nameauth');
  const args = ['wx1234567890abcdef', 'oZhangSan', 'src1', '张三', ZS[2], null, 'k'.repeat(32)];
  for (const signCase of ['lower', 'upper']) {
    const want = execFileSync(
      cli,
      [
        'sign',
        '--appid',
        args[0],
        '--openid',
        args[1],
        '--src',
        args[2],
        '--truename',
        args[3],
        '--creid',
        args[4],
        '--sign-case',
        signCase,
      ],
      { env: { ...process.env, NAMEAUTH_KEY: args[6] } },
    )
      .toString()
      .trim();
    assert.equal(nameauth.sign(...args, { signCase }), want);
  }
  assert.throws(() => nameauth.sign(...args, { signCase: 'Upper' }), { field: 'sign_case', rule: 'bad_value' });
  assert.throws(() => nameauth.sign('wx1', '', 's', 'n', 'c', null, 'k'), { field: 'openid', rule: 'empty' });
  assert.equal(nameauth.validateId(ZS[2]), undefined);
  assert.throws(() => nameauth.validateId('110101199003074478'), { name: 'InvalidInputError', field: 'creid', rule: 'id_check_character' });
});

test('the ES module entry point is the same module', async () => {
  const esm = await import('nameauth');
  assert.equal(esm.default, nameauth);
  // Every CommonJS export is the very same object in ESM (so instanceof works across both),
  // the error classes included; ESM has nothing more (the internal helpers stay out).
  const errors = ['InvalidInput', 'InvalidConfig', 'Timeout', 'Transport', 'Protocol', 'Internal', 'Cancelled', 'Nameauth'];
  const names = ['Client', 'Verdict', 'sign', 'validateId', 'version', ...errors.map((e) => `${e}Error`)];
  assert.deepEqual(Object.keys(nameauth).sort(), names.sort());
  for (const name of names) assert.equal(esm[name], nameauth[name], name);
  assert.deepEqual(
    Object.keys(esm).filter((n) => !names.includes(n)),
    ['default', ...(Object.hasOwn(esm, 'module.exports') ? ['module.exports'] : [])],
  );
  assert.throws(() => nameauth.validateId('110101199003074478'), esm.InvalidInputError);
  const t = await import('nameauth/testing');
  assert.equal(typeof t.sandbox, 'function');
});

test('only a lone surrogate is refused as such; a pair is one character', async () => {
  const c = sb.client();
  await assert.rejects(c.verify('oZhangSan', '\uDE00张', ZS[2]), { field: 'truename', rule: 'invalid_utf8' });
  // An emoji reaches the core whole, which judges it by the name rule.
  await assert.rejects(c.verify('oZhangSan', '张😀', ZS[2]), (e) => e.field === 'truename' && e.rule !== 'invalid_utf8');
  assert.throws(() => sb.client({ proxy: 'http://\uD800' }), { name: 'InvalidConfigError', field: 'proxy', rule: 'invalid_utf8' });
  c.close();
});

test('stats of a closed client and verifyMany with an aborted signal', async () => {
  const c = sb.client();
  const before = sb.stats().requests;
  const out = await c.verifyMany([ZS, ZS, ZS], { signal: AbortSignal.abort() });
  assert.ok(out.every((e) => e instanceof nameauth.CancelledError));
  assert.equal(sb.stats().requests, before);
  assert.equal(c.stats().errors.cancelled, 3);
  c.close();
  assert.throws(() => c.stats(), { name: 'InvalidConfigError', field: 'client' });
});

test('the addon refuses an option that is not a [name, value] pair instead of skipping it', () => {
  const addon = require('../native.js').load('nameauth');
  const { appid, src, key } = sb.credentials;
  const r = addon.buildClient(appid, src, key, [['timeout_ms']]);
  assert.equal(r.kind, 'internal');
  assert.ok(addon.buildClient(appid, src, key, [['timeout_ms', '5000']]) instanceof addon.NativeClient);
});

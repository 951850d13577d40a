// nameauth/testing's own inputs: each bad one is an error naming it, before the addon's
// conversions could take it for another value (a latency of -1 ms as 49 days).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { sandbox } = require('nameauth/testing');

test('a bad sandbox option or argument is an error naming it', async () => {
  for (const [options, field] of [
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: 2 ** 32 + 5 }, 'latencyMs'],
    [{ latencyMs: '5' }, 'latencyMs'],
    [{ tls: 'false' }, 'tls'],
    [{ fixtures: 5 }, 'fixtures'],
    ['tls', 'options'],
  ]) {
    assert.throws(() => sandbox(options), { name: 'TypeError', message: new RegExp(`^${field}: must be `) }, JSON.stringify(options));
  }
  const sb = sandbox({ latencyMs: 1, fixtures: null });
  try {
    assert.throws(() => sb.hits(5), { name: 'TypeError', message: /^openid: must be a string/ });
    assert.throws(() => sb.addFixture(5, {}), { name: 'TypeError', message: /^openid: must be a string/ });
    assert.throws(() => sb.addFixture('oX', 5), { name: 'TypeError', message: /^record: must be an object/ });
    // A latency the sandbox really applies: 1 ms, not 2^32 + 1 ms.
    assert.equal((await sb.client({ timeoutMs: 5000, retries: 0 }).verify('oZhangSan', '张三', '110101199003074477')).code, 'A');
  } finally {
    sb.close();
  }
});

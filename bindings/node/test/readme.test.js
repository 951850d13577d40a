// README.md is the package's page: its examples run here, as a user would paste them, the
// first against the sandbox (its endpoint given the way the example's comment says), the
// second under node --test, the third under Jest.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { sandbox } = require('nameauth/testing');

const PKG = path.join(__dirname, '..');
const blocks = [...fs.readFileSync(path.join(PKG, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/** The block with 'nameauth' resolved to this folder (a paste outside a project). */
function paste(block) {
  return block
    .replace("from 'nameauth'", `from '${pathToFileURL(path.join(PKG, 'index.mjs')).href}'`)
    .replace("require('nameauth/testing')", `require(${JSON.stringify(path.join(PKG, 'testing.js'))})`);
}

test('the README has its three examples', () => {
  assert.equal(blocks.length, 3);
});

test('the first example verifies a user', () => {
  const sb = sandbox();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nameauth-readme-'));
  try {
    const file = path.join(dir, 'example.mjs');
    // The example leaves the endpoint to the client's default; the sandbox stands in.
    const code = paste(blocks[0]).replace('timeoutMs: 5000 }', `timeoutMs: 5000, endpoint: ${JSON.stringify(sb.endpoint)} }`);
    assert.notEqual(code, paste(blocks[0]), 'the example changed: update this test');
    fs.writeFileSync(file, code);
    const { appid, src, key } = sb.credentials;
    const out = execFileSync(process.execPath, [file], {
      env: { ...process.env, NAMEAUTH_APPID: appid, NAMEAUTH_SRC: src, NAMEAUTH_KEY: key },
    });
    assert.equal(out.toString(), 'verified\n');
    assert.equal(sb.hits('oZhangSan'), 1);
  } finally {
    sb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the second example passes under node --test', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nameauth-readme-'));
  try {
    const file = path.join(dir, 'example.test.js');
    fs.writeFileSync(file, paste(blocks[1]));
    // A runner of its own, not a subtest of this one.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const out = execFileSync(process.execPath, ['--test', '--test-reporter=tap', file], { env }).toString();
    assert.match(out, /# pass 1\n/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the third example passes under Jest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nameauth-readme-'));
  try {
    fs.writeFileSync(path.join(dir, 'example.test.js'), paste(blocks[2]));
    // Jest as make test-node runs it (from this folder); it reports on stderr.
    const r = spawnSync(path.join(PKG, 'node_modules', '.bin', 'jest'), ['--ci', '--rootDir', dir], { cwd: PKG, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Tests: +1 passed, 1 total/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// nameauth/testing: the sandbox server (the WeChat Pay stand-in of nameauth's own suites)
// for users' tests, in node:test, Jest or Vitest:
//
//   const { sandbox } = require('nameauth/testing');
//   let sb;
//   before(() => { sb = sandbox(); });   // beforeAll in Jest and Vitest
//   after(() => sb.close());             // afterAll
//   test('verified', async () => { assert.equal((await sb.client().verify(...)).code, 'A'); });
//
// Its own native addon (nameauth-testing.<platform>.node): a service that never requires
// nameauth/testing never loads the sandbox's code.

const { load } = require('./native.js');
const { Client } = require('./index.js');

let addon = null;

/**
 * `v`, checked before it crosses into the addon, whose conversions would take -1 as a
 * latency of 49 days (u32) or 2^32 + 5 as 5 ms, and whose errors name no field.
 */
function checked(field, v, ok, rule) {
  if (!ok(v)) throw new TypeError(`${field}: must be ${rule}`);
  return v;
}
const isString = (v) => typeof v === 'string';
const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

class Sandbox {
  #server;

  constructor(options = {}) {
    addon ??= load('nameauth-testing');
    const { tls = false, fixtures, latencyMs = 0 } = checked('options', options ?? {}, isRecord, 'an object: { tls, fixtures, latencyMs }');
    checked('tls', tls, (v) => typeof v === 'boolean', 'true or false');
    checked('fixtures', fixtures ?? {}, isRecord, 'an object: openid -> record');
    checked(
      'latencyMs',
      latencyMs,
      (v) => Number.isSafeInteger(v) && v >= 0 && v <= 0xffffffff,
      'a whole number of milliseconds from 0 to 4294967295',
    );
    this.#server = new addon.NativeSandbox(tls, fixtures == null ? null : JSON.stringify(fixtures), latencyMs);
    const [appid, src, key] = this.#server.credentials;
    /** The credentials the sandbox accepts (its key is a published test value). */
    this.credentials = Object.freeze({ appid, src, key });
  }

  /** The endpoint URL to give a client. */
  get endpoint() {
    return this.#server.endpoint;
  }

  /** The CA file to trust (caFile) when serving HTTPS, else null. */
  get caFile() {
    return this.#server.caFile ?? null;
  }

  /** A client of this sandbox; `options` add to or override its settings. */
  client(options = {}) {
    const base = { ...this.credentials, endpoint: this.endpoint };
    if (this.caFile) base.caFile = this.caFile;
    return new Client({ ...base, ...options });
  }

  /** { requests, connections } received so far. */
  stats() {
    return this.#server.stats();
  }

  /** Requests so far that carried `openid`: how often a user was really checked. */
  hits(openid) {
    return this.#server.hits(checked('openid', openid, isString, 'a string'));
  }

  /** Adds or replaces the record of `openid` (an object as in a fixtures file). */
  addFixture(openid, record) {
    checked('openid', openid, isString, 'a string');
    this.#server.addFixture(openid, JSON.stringify(checked('record', record, isRecord, 'an object (a fixtures file entry)')));
  }

  /** Stops serving. Twice is harmless. */
  close() {
    this.#server.close();
  }

  toString() {
    return `nameauth.testing.Sandbox(${this.endpoint})`;
  }
}

/** Starts a sandbox on a free loopback port: { tls, fixtures, latencyMs }. */
function sandbox(options) {
  return new Sandbox(options);
}

module.exports = { sandbox, Sandbox };

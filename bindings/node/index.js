// nameauth for Node.js: the WeChat Pay real-name check over the one Rust core (a native
// addon; see crates/node). Every verify runs on libuv's thread pool, off the event loop.

const { load } = require('./native.js');
const { withToken } = require('./cancel.js');
const { caused, classes, fromFailure, make, read } = require('./errors.js');
const { Verdict } = require('./verdict.js');

const native = load('nameauth');

/** Options in camel case and the core's names (src/config.rs OPTIONS), with their types. */
const OPTIONS = {
  endpoint: ['endpoint', 'string'],
  timeoutMs: ['timeout_ms', 'integer'],
  connectTimeoutMs: ['connect_timeout_ms', 'integer'],
  signCase: ['sign_case', 'string'],
  retries: ['retries', 'integer'],
  proxy: ['proxy', 'string'],
  caFile: ['ca_file', 'string'],
  idRules: ['id_rules', 'boolean'],
  allowHttp: ['allow_http', 'boolean'],
  fallbackEndpoint: ['fallback_endpoint', 'string'],
  idleTimeoutMs: ['idle_timeout_ms', 'integer'],
};
const OWN = new Set(['appid', 'src', 'key', 'logger']);
const CODES = ['A', 'B', 'C', 'D', 'E', 'F', 'Other'];
const KINDS = ['invalid_input', 'invalid_config', 'timeout', 'transport', 'protocol', 'internal', 'cancelled'];

/** The fields of one user of verifyMany, in an array's order. */
const USER = ['openid', 'truename', 'creid', 'cretype'];

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** A string argument, or an error naming `field` (never showing the value). */
function text(kind, field, v) {
  if (typeof v !== 'string') throw make(kind, field, 'bad_value', `must be a string, not ${v === null ? 'null' : typeof v}`);
  // N-API would replace a lone surrogate with U+FFFD silently and sign another value. With
  // the u flag a pair is one code point, so only a lone surrogate matches (Node 18 has no
  // String.prototype.isWellFormed).
  if (LONE_SURROGATE.test(v)) throw make(kind, field, 'invalid_utf8', 'holds a lone surrogate (not valid Unicode)');
  return v;
}

function optionPairs(options) {
  let names;
  try {
    names = Object.keys(options);
  } catch (cause) {
    throw caused(make('invalid_config', 'options', 'bad_value', "listing its keys threw (the error is this error's cause)"), cause);
  }
  const pairs = [];
  for (const name of names) {
    if (OWN.has(name)) continue;
    const value = read('invalid_config', name.slice(0, 40), options, name);
    if (value === undefined) continue;
    const spec = OPTIONS[name];
    if (!spec) {
      throw make(
        'invalid_config',
        'options',
        'unknown_option',
        `unknown option "${name.slice(0, 40)}" (known: ${Object.keys(OPTIONS).join(', ')})`,
      );
    }
    const [core, type] = spec;
    let s;
    if (type === 'integer' && Number.isSafeInteger(value) && value >= 0) s = String(value);
    else if (type === 'boolean' && typeof value === 'boolean') s = String(value);
    else if (type === 'string' && typeof value === 'string') s = text('invalid_config', name, value);
    else throw make('invalid_config', name, 'bad_value', `must be ${type === 'integer' ? 'a non-negative integer' : `a ${type}`}`);
    pairs.push([core, s]);
  }
  return pairs;
}

/** The log level a logger takes now: 3 every call, 2 warnings only, 0 nothing. */
function levelOf(logger) {
  if (!logger) return 0;
  const on = (level) => {
    try {
      if (typeof logger.isLevelEnabled === 'function') return logger.isLevelEnabled(level); // pino, winston
      return typeof logger[level] === 'function';
    } catch {
      return false;
    }
  };
  return on('info') ? 3 : on('warn') ? 2 : 0;
}

function checkLogger(logger) {
  if (logger === undefined || logger === null) return null;
  if (typeof logger !== 'object' && typeof logger !== 'function') {
    throw make('invalid_config', 'logger', 'bad_value', 'must be an object with info and warn methods');
  }
  const [info, warn] = ['info', 'warn'].map((m) => read('invalid_config', 'logger', logger, m));
  if (typeof info !== 'function' || typeof warn !== 'function') {
    throw make('invalid_config', 'logger', 'bad_value', 'must have info and warn methods (pino and winston loggers do)');
  }
  return logger;
}

/** The camel-case name of each option by the core's name (timeout_ms: timeoutMs). */
const CAMEL = Object.fromEntries(Object.entries(OPTIONS).map(([camel, [core]]) => [core, camel]));

/**
 * The built client, or its failure thrown. With `camel`, a failure names the option as
 * the caller wrote it (timeoutMs, not the core's timeout_ms), in `field` and the message.
 */
function unwrap(built, camel = false) {
  if (built instanceof native.NativeClient) return built;
  const name = camel ? CAMEL[built.field] : undefined;
  if (name === undefined) throw fromFailure(built);
  const message = built.message.startsWith(`${built.field}:`) ? `${name}${built.message.slice(built.field.length)}` : built.message;
  throw fromFailure({ ...built, field: name, message });
}

/**
 * A logger's failure, reported as a process warning (process.on('warning'), code
 * NAMEAUTH_LOGGER_FAILED), as Python reports one through sys.unraisablehook: never thrown
 * to the caller, whose verdict is in hand, and never an unhandled rejection, which would
 * end the process.
 */
function loggerFailed(method, err) {
  let why;
  try {
    why = String(err?.message ?? err);
  } catch {
    why = 'a value that cannot be shown';
  }
  try {
    process.emitWarning(`nameauth: the logger's ${method} failed: ${why}`, {
      type: 'NameauthLoggerWarning',
      code: 'NAMEAUTH_LOGGER_FAILED',
    });
  } catch {
    // process.emitWarning replaced by one that throws (a test framework's): dropped.
  }
}

/** The results of a call reach the logger's warn (retries, failovers) and info (the call's line). */
function emit(logger, events) {
  for (const e of events) {
    const method = e.level <= 2 ? 'warn' : 'info';
    try {
      const r = logger[method](e.message);
      // An async logger (a method returning a promise) fails later, by rejecting.
      if (typeof r?.then === 'function') r.then(undefined, (err) => loggerFailed(method, err));
    } catch (err) {
      loggerFailed(method, err);
    }
  }
}

/** A client built by fromEnv, handed to the constructor (private to this module). */
class Built {
  constructor(n, logger) {
    this.native = n;
    this.logger = logger;
  }
}

// Clients never closed are freed by the garbage collector: the native object's finalizer
// drops the core client (connections closed, key wiped).

class Client {
  #native;
  #logger;

  /**
   * A client for WeChat Pay's nameautheasy (or a sandbox): `appid`, `src`, `key`, every
   * option of the configuration table in camel case, and `logger`.
   */
  constructor(options) {
    if (options instanceof Built) {
      this.#native = options.native;
      this.#logger = options.logger;
      return;
    }
    if (options === null || typeof options !== 'object') {
      throw make('invalid_config', 'options', 'bad_value', 'must be an object: { appid, src, key, ...options }');
    }
    const [appid, src, key, logger] = ['appid', 'src', 'key', 'logger'].map((f) => read('invalid_config', f, options, f));
    checkLogger(logger);
    const pairs = optionPairs(options);
    const id = text('invalid_config', 'appid', appid ?? '');
    const s = text('invalid_config', 'src', src ?? '');
    const k = text('invalid_config', 'key', key ?? '');
    this.#native = unwrap(native.buildClient(id, s, k, pairs), true);
    this.#logger = logger ?? null;
  }

  /** The client of the NAMEAUTH_* variables (docs/CONFORMANCE.md); `logger` may be given. */
  static fromEnv(options = {}) {
    const logger = checkLogger(read('invalid_config', 'logger', options, 'logger'));
    return new Client(new Built(unwrap(native.clientFromEnv()), logger));
  }

  /** Closes the client; calls in flight finish. Closing twice is harmless. */
  close() {
    this.#native.close();
  }

  /** Whether close() was called. */
  get closed() {
    return this.#native.closed;
  }

  /** The endpoint, without user information or query. */
  get endpoint() {
    return this.#native.endpoint;
  }

  /** The appid. */
  get appid() {
    return this.#native.appid;
  }

  /**
   * Verifies one user: a Verdict for every answer of the server, a NameauthError
   * otherwise. An AbortSignal aborted before the request is written stops the call with a
   * CancelledError, and nothing is sent; aborted later, the call ends as it would have.
   */
  async verify(openid, truename, creid, cretype, options) {
    const signal = read('invalid_input', 'signal', options, 'signal');
    const args = [
      text('invalid_input', 'openid', openid),
      text('invalid_input', 'truename', truename),
      text('invalid_input', 'creid', creid),
      cretype === undefined || cretype === null ? null : text('invalid_input', 'cretype', cretype),
    ];
    const logger = this.#logger;
    const level = levelOf(logger);
    const outcome = await withToken(native, signal, (token) => this.#native.verify(...args, level, token));
    if (logger && outcome.events.length) emit(logger, outcome.events);
    if (outcome.verdict) return new Verdict(outcome.verdict);
    throw fromFailure(outcome.error);
  }

  /**
   * Verifies many users, at most `concurrency` (16) at once: one Verdict or NameauthError
   * per item, in input order. An item is [openid, truename, creid, cretype?] or
   * { openid, truename, creid, cretype? }.
   */
  async verifyMany(items, options) {
    const concurrency = read('invalid_input', 'concurrency', options, 'concurrency') ?? 16;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw make('invalid_input', 'concurrency', 'bad_value', 'must be a positive integer');
    }
    const signal = read('invalid_input', 'signal', options, 'signal');
    if (typeof read('invalid_input', 'items', items, Symbol.iterator) !== 'function') {
      throw make('invalid_input', 'items', 'bad_value', 'must be an iterable of users (arrays or objects)');
    }
    let list;
    try {
      list = Array.from(items);
    } catch (cause) {
      throw caused(make('invalid_input', 'items', 'bad_value', "iterating it threw (the error is this error's cause)"), cause);
    }
    const out = new Array(list.length);
    let next = 0;
    const one = async (item) => {
      const array = Array.isArray(item);
      const a = USER.map((f, i) => read('invalid_input', f, item, array ? i : f));
      return this.verify(a[0], a[1], a[2], a[3], { signal });
    };
    const worker = async () => {
      while (next < list.length) {
        const i = next++;
        try {
          out[i] = await one(list[i]);
        } catch (e) {
          out[i] =
            e instanceof classes.NameauthError ? e : fromFailure({ kind: 'internal', message: 'internal: a verify failed unexpectedly' });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
    return out;
  }

  /** What this client did since it was built: counts, verdicts by code, errors by kind, latency percentiles. */
  stats() {
    const s = this.#native.stats();
    if (!Array.isArray(s.verdicts)) throw fromFailure(s);
    return {
      calls: s.calls,
      requests: s.requests,
      retries: s.retries,
      connectionsOpened: s.connectionsOpened,
      failovers: s.failovers,
      verdicts: Object.fromEntries(CODES.map((c, i) => [c, s.verdicts[i]])),
      errors: Object.fromEntries(KINDS.map((k, i) => [k, s.errors[i]])),
      latencyP50Ms: s.latencyMs[0],
      latencyP90Ms: s.latencyMs[1],
      latencyP99Ms: s.latencyMs[2],
    };
  }

  toString() {
    return `nameauth.Client(appid=${this.appid}, endpoint=${this.endpoint}${this.closed ? ', closed' : ''})`;
  }

  toJSON() {
    return { appid: this.appid, endpoint: this.endpoint, closed: this.closed };
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `Client { appid: '${this.appid}', endpoint: '${this.endpoint}', closed: ${this.closed} }`;
  }
}

/**
 * The request signature (docs/SPEC.md §2), in the argument order of every front end:
 * appid, openid, src, truename, creid, cretype (null: "1"), key, { signCase }.
 */
function sign(appid, openid, src, truename, creid, cretype, key, options) {
  const signCase = read('invalid_input', 'sign_case', options, 'signCase');
  const r = native.sign(
    text('invalid_input', 'appid', appid),
    text('invalid_input', 'openid', openid),
    text('invalid_input', 'src', src),
    text('invalid_input', 'truename', truename),
    text('invalid_input', 'creid', creid),
    cretype === undefined || cretype === null ? null : text('invalid_input', 'cretype', cretype),
    text('invalid_input', 'key', key),
    signCase === undefined || signCase === null ? null : text('invalid_input', 'sign_case', signCase),
  );
  if (typeof r === 'string') return r;
  throw fromFailure(r);
}

/** Checks one resident ID number (docs/SPEC.md §3): returns nothing, or throws an InvalidInputError naming the rule. */
function validateId(creid) {
  const f = native.validateId(text('invalid_input', 'creid', creid));
  if (f) throw fromFailure(f);
}

module.exports = {
  Client,
  Verdict,
  sign,
  validateId,
  version: native.version(),
  ...classes,
};

// NameauthError and one subclass per kind (docs/CONFORMANCE.md's kinds). The native side
// returns a failure object; only this file decides its class.

/** Every nameauth failure: `kind`, `field` and `rule` say what and where. */
class NameauthError extends Error {
  constructor(failure) {
    super(failure.message);
    this.name = new.target.name;
    /** `invalid_input`, `invalid_config`, `timeout`, `transport`, `protocol`, `internal` or `cancelled`. */
    this.kind = failure.kind;
    /** The input or option at fault, or null. */
    this.field = failure.field ?? null;
    /** The rule it broke (`empty`, `id_check_character`, ...), or null. */
    this.rule = failure.rule ?? null;
    /** The HTTP status of a non-2xx answer, or null. */
    this.httpStatus = failure.httpStatus ?? null;
  }
}
// One subclass per kind, declared here once under the name it is exported by: a class
// expression takes its name from its key, which a minifier keeps (it may rename classes,
// never keys), so the exports and each error's `name` survive bundling.
const CLASSES = {
  /** A user input breaks a rule; nothing was sent. */
  InvalidInputError: class extends NameauthError {},
  /** The configuration is unusable (credentials, endpoint, options). */
  InvalidConfigError: class extends NameauthError {},
  /** No complete answer within the timeout. */
  TimeoutError: class extends NameauthError {},
  /** Connection refused or reset, TLS failure, non-2xx HTTP status. */
  TransportError: class extends NameauthError {},
  /** The server's answer is not a well-formed nameauth response. */
  ProtocolError: class extends NameauthError {},
  /** A bug in nameauth. */
  InternalError: class extends NameauthError {},
  /** The caller's AbortSignal stopped the call before its request was written: nothing was sent. */
  CancelledError: class extends NameauthError {},
};

/** The class of each docs/CONFORMANCE.md kind. */
const BY_KIND = {
  invalid_input: CLASSES.InvalidInputError,
  invalid_config: CLASSES.InvalidConfigError,
  timeout: CLASSES.TimeoutError,
  transport: CLASSES.TransportError,
  protocol: CLASSES.ProtocolError,
  internal: CLASSES.InternalError,
  cancelled: CLASSES.CancelledError,
};

/** The error of a native failure object. */
function fromFailure(failure) {
  const Class = BY_KIND[failure.kind] ?? CLASSES.InternalError;
  return new Class(failure);
}

/** An error made on the JavaScript side (bad argument types): names the field and the rule, never the value. */
function make(kind, field, rule, text) {
  return fromFailure({ kind, field, rule, message: `${field}: ${text}` });
}

/**
 * `obj[key]`, or an error naming `field` when reading it throws (a getter, a Proxy trap):
 * the caller's own error is its `cause`, never copied into the message.
 */
function read(kind, field, obj, key) {
  try {
    return obj?.[key];
  } catch (cause) {
    throw caused(make(kind, field, 'bad_value', "reading it threw (the error is this error's cause)"), cause);
  }
}

/** `e` with `cause` set as the Error constructor sets it (not enumerable). */
function caused(e, cause) {
  Object.defineProperty(e, 'cause', { value: cause, writable: true, configurable: true });
  return e;
}

/** The public classes by the names index.js exports them by (index.mjs and index.d.ts list them). */
const classes = { NameauthError, ...CLASSES };

module.exports = { caused, classes, fromFailure, make, read };

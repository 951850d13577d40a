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
// One subclass per kind, declared here once; `name` is the class's own name.
const CLASSES = {
  /** A user input breaks a rule; nothing was sent. */
  invalid_input: class InvalidInputError extends NameauthError {},
  /** The configuration is unusable (credentials, endpoint, options). */
  invalid_config: class InvalidConfigError extends NameauthError {},
  /** No complete answer within the timeout. */
  timeout: class TimeoutError extends NameauthError {},
  /** Connection refused or reset, TLS failure, non-2xx HTTP status. */
  transport: class TransportError extends NameauthError {},
  /** The server's answer is not a well-formed nameauth response. */
  protocol: class ProtocolError extends NameauthError {},
  /** A bug in nameauth. */
  internal: class InternalError extends NameauthError {},
  /** The caller's AbortSignal stopped the call before its request was written: nothing was sent. */
  cancelled: class CancelledError extends NameauthError {},
};

/** The error of a native failure object. */
function fromFailure(failure) {
  const Class = CLASSES[failure.kind] ?? CLASSES.internal;
  return new Class(failure);
}

/** An error made on the JavaScript side (bad argument types): names the field and the rule, never the value. */
function make(kind, field, rule, text) {
  return fromFailure({ kind, field, rule, message: `${field}: ${text}` });
}

/** The public classes by name, which index.js exports (index.mjs and index.d.ts list them). */
const classes = { NameauthError, ...Object.fromEntries(Object.values(CLASSES).map((C) => [C.name, C])) };

module.exports = { classes, fromFailure, make };

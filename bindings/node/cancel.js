// Cancelling calls: an AbortSignal, and the environment's exit. The native side's
// CancelToken stops a call whose request is not written yet (src/cancel.rs); this file
// decides which token each call gets and when it is cancelled.

const { caused, make, read } = require('./errors.js');

// Design (signals). One CancelToken per AbortSignal (a WeakMap entry keyed by the
// signal), cancelled by one 'abort' listener that is on the signal only while a call of
// that signal is in flight: a signal shared by many calls (verifyMany's, a service's
// shutdown signal) carries one listener, not one per call (Node warns of a leak past
// 10), and a signal whose calls have ended carries none (Node keeps an
// AbortSignal.timeout() with a listener alive until it fires). Removing it after the
// last call cannot throw at the caller: the answer is in hand by then.
//
// Design (exit). Node finishes an environment that exits (process.exit() in a worker, or
// in the main thread) only once the thread pool has run every verify it queued, so calls
// still waiting in libuv's queue would be sent for a caller that is gone: a person
// checked, the verdict dropped. The 'exit' event (synchronous, before that wait) cancels
// the token of every call in flight in this environment; those already written run to
// their end. Calls without a signal share one entry. IN_FLIGHT holds only the entries
// with calls in flight, and the 'exit' listener is on process only while there is one
// (a package loaded afresh per test file, as Jest does, leaves none behind).
// worker.terminate() runs no JavaScript, so it cannot do this: abort the worker's calls
// before terminating it.

const SIGNALS = new WeakMap();
const IN_FLIGHT = new Set();
let unsignalled = null;

function onExit() {
  for (const entry of IN_FLIGHT) {
    entry.token.cancel();
    // A library may emit 'exit' itself, and the environment then goes on: later calls
    // get fresh tokens, not these cancelled ones.
    if (entry.signal) SIGNALS.delete(entry.signal);
    else unsignalled = null;
  }
}

/** The entry of `signal` (`native` makes its token), cancelled already if it is aborted. */
function entryOf(native, signal) {
  if (signal === undefined || signal === null) {
    unsignalled ??= { token: new native.CancelToken(), calls: 0, signal: null, onAbort: null };
    return unsignalled;
  }
  const bad = () => make('invalid_input', 'signal', 'bad_value', 'must be an AbortSignal');
  if (typeof signal !== 'object') throw bad();
  const aborted = read('invalid_input', 'signal', signal, 'aborted');
  if (typeof read('invalid_input', 'signal', signal, 'addEventListener') !== 'function' || typeof aborted !== 'boolean') throw bad();
  let entry = SIGNALS.get(signal);
  if (!entry) {
    const token = new native.CancelToken();
    entry = { token, calls: 0, signal, onAbort: () => token.cancel() };
    SIGNALS.set(signal, entry);
  }
  if (aborted) entry.token.cancel();
  return entry;
}

/**
 * Runs `call(token)`, the token of `signal` (or of the calls without one), counted in
 * flight. A signal that cannot be listened to is an error naming it, before the call.
 */
async function withToken(native, signal, call) {
  const entry = entryOf(native, signal);
  if (entry.calls === 0 && entry.signal) {
    try {
      entry.signal.addEventListener('abort', entry.onAbort, { once: true });
    } catch (cause) {
      throw caused(make('invalid_input', 'signal', 'bad_value', "its addEventListener threw (the error is this error's cause)"), cause);
    }
  }
  if (IN_FLIGHT.size === 0) process.once('exit', onExit);
  entry.calls += 1;
  IN_FLIGHT.add(entry);
  try {
    return await call(entry.token);
  } finally {
    entry.calls -= 1;
    if (entry.calls === 0) {
      IN_FLIGHT.delete(entry);
      if (entry.signal) {
        try {
          entry.signal.removeEventListener('abort', entry.onAbort);
        } catch {
          // A signal-like object without it: the listener cancels a token no call holds.
        }
      }
    }
    if (IN_FLIGHT.size === 0) process.off('exit', onExit);
  }
}

module.exports = { withToken };

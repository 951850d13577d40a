package nameauth

import (
	"context"
	"errors"
	"fmt"
)

// Kind is the kind of a failure, as docs/CONFORMANCE.md names it.
type Kind string

// The kinds of failure every nameauth front end shares.
const (
	// KindInvalidInput: an argument breaks a rule (Field and Rule say which); nothing was sent.
	KindInvalidInput Kind = "invalid_input"
	// KindInvalidConfig: the credentials or an option are unusable, or cgo is missing.
	KindInvalidConfig Kind = "invalid_config"
	// KindTimeout: no complete answer within the timeout or the context's deadline. The
	// request may have been written and the check run (so too for transport and protocol;
	// nameauth retries only what cannot have been processed): do not send it again blindly.
	KindTimeout Kind = "timeout"
	// KindTransport: connection refused or reset, TLS failure, non-2xx HTTP status.
	KindTransport Kind = "transport"
	// KindProtocol: the server's answer is not a well-formed nameauth response.
	KindProtocol Kind = "protocol"
	// KindInternal: a bug in nameauth.
	KindInternal Kind = "internal"
	// KindCancelled: the context was done before the request was written; nothing was sent.
	KindCancelled Kind = "cancelled"
)

// sentinel is the type of the Err* values: errors.Is(err, ErrTimeout) holds for every
// *Error of that kind.
type sentinel Kind

func (s sentinel) Error() string { return "nameauth: " + string(s) }

// Sentinels for errors.Is, one per Kind.
var (
	ErrInvalidInput  error = sentinel(KindInvalidInput)
	ErrInvalidConfig error = sentinel(KindInvalidConfig)
	ErrTimeout       error = sentinel(KindTimeout)
	ErrTransport     error = sentinel(KindTransport)
	ErrProtocol      error = sentinel(KindProtocol)
	ErrInternal      error = sentinel(KindInternal)
	ErrCancelled     error = sentinel(KindCancelled)
)

// Error is every failure nameauth returns; use errors.As to read it, errors.Is with the
// Err* sentinels to branch on its kind. A call the context stopped also satisfies
// errors.Is(err, context.Canceled) or errors.Is(err, context.DeadlineExceeded). No field
// ever holds the key, or a name or ID number in clear.
type Error struct {
	// Kind is what went wrong, in docs/CONFORMANCE.md's words.
	Kind Kind
	// Field is the argument, option or variable the failure is about ("creid",
	// "timeout_ms", "NAMEAUTH_KEY"); "" when none (a timeout, say).
	Field string
	// Rule is the stable identifier of the rule broken ("id_check_character",
	// "unknown_option"); "" when none.
	Rule string
	// Message is one line of English naming the problem.
	Message string
	// HTTPStatus is the server's HTTP status when it answered with a non-2xx status (kind
	// transport), e.g. 503; 0 for every other failure.
	HTTPStatus int

	// cause is the context's error when the context ended the call.
	cause error
}

// Error returns the message, prefixed with "nameauth: ".
func (e *Error) Error() string { return "nameauth: " + e.Message }

// Is reports whether target is the sentinel of e's kind.
func (e *Error) Is(target error) bool {
	s, ok := target.(sentinel)
	return ok && Kind(s) == e.Kind
}

// Unwrap returns context.Canceled or context.DeadlineExceeded when the context ended the
// call, else nil.
func (e *Error) Unwrap() error { return e.cause }

// GoString keeps %#v to the same fields as %v shows (none of them secret).
func (e *Error) GoString() string {
	return fmt.Sprintf("&nameauth.Error{Kind:%q, Field:%q, Rule:%q, Message:%q, HTTPStatus:%d}",
		e.Kind, e.Field, e.Rule, e.Message, e.HTTPStatus)
}

// withContext ties a cancelled or timed-out call to the context that ended it (expired:
// its deadline had passed when the call began, whatever ctx.Err said then).
func withContext(err *Error, ctx context.Context, expired bool) *Error {
	if err.Kind != KindCancelled && err.Kind != KindTimeout {
		return err
	}
	if err.cause = ctx.Err(); err.cause == nil && expired {
		err.cause = context.DeadlineExceeded
	}
	return err
}

// asError returns err as an *Error (every error this package returns is one).
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Message: err.Error()}
}

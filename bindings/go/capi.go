//go:build cgo

package nameauth

/*
#include <stdlib.h>
#include <string.h>
#include "nameauth.h"

// One C call per Go call: the last error and the captured log lines are per thread, so
// they are read by the same C function, on the same thread, as the call that set them.
typedef struct { char *message; char *field; char *rule; uint16_t http_status; } go_err;

static char *go_copy(size_t (*get)(char *, size_t)) {
	size_t n = get(NULL, 0);
	char *b = malloc(n + 1);
	if (b != NULL) { b[0] = 0; get(b, n + 1); }
	return b;
}

static nameauth_result go_fail(nameauth_result r, go_err *e) {
	if (r != NAMEAUTH_OK) {
		e->message = go_copy(nameauth_last_error);
		e->field = go_copy(nameauth_last_error_field);
		e->rule = go_copy(nameauth_last_error_rule);
		e->http_status = nameauth_last_error_http_status();
	}
	return r;
}

static nameauth_result go_options_set(nameauth_options *o, const char *name, const char *value, go_err *e) {
	return go_fail(nameauth_options_set(o, name, value), e);
}

static nameauth_result go_client_new(const char *appid, const char *src, const char *key,
		const nameauth_options *o, nameauth_client **out, go_err *e) {
	return go_fail(nameauth_client_new(appid, src, key, o, out), e);
}

static nameauth_result go_client_from_env(nameauth_client **out, go_err *e) {
	return go_fail(nameauth_client_new_from_env(out), e);
}

static nameauth_result go_sign(const char *appid, const char *openid, const char *src,
		const char *truename, const char *creid, const char *cretype, const char *key,
		int upper, char *out, go_err *e) {
	nameauth_sign_case c = upper ? NAMEAUTH_SIGN_CASE_UPPER : NAMEAUTH_SIGN_CASE_LOWER;
	return go_fail(nameauth_sign(appid, openid, src, truename, creid, cretype, key, c, out,
		NAMEAUTH_SIGN_LEN), e);
}

static nameauth_result go_validate_id(const char *creid, go_err *e) {
	return go_fail(nameauth_validate_id(creid), e);
}

// level 0: no capture; else the events at or above it come back in *logs (malloc'd).
static nameauth_result go_verify(const nameauth_client *c, const char *openid,
		const char *truename, const char *creid, const char *cretype,
		const nameauth_cancel *cancel, uint64_t deadline_ms, uint32_t level,
		nameauth_verdict **out, go_err *e, char **logs) {
	uint32_t prev = 0;
	if (level != 0) prev = nameauth_log_capture(level);
	nameauth_result r = go_fail(
		nameauth_verify_with(c, openid, truename, creid, cretype, cancel, deadline_ms, out), e);
	if (level != 0) {
		*logs = go_copy(nameauth_log_captured);
		nameauth_log_capture(prev);
	}
	return r;
}

static nameauth_result go_stats(const nameauth_client *c, nameauth_stats *s, go_err *e) {
	s->size = sizeof *s;
	return go_fail(nameauth_client_stats(c, s), e);
}
*/
import "C"

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"
)

// handle is the C client.
type handle = *C.nameauth_client

// errorOf turns a failed status and its last error into an *Error, freeing the copies.
func errorOf(r C.nameauth_result, e *C.go_err) *Error {
	defer C.free(unsafe.Pointer(e.message))
	defer C.free(unsafe.Pointer(e.field))
	defer C.free(unsafe.Pointer(e.rule))
	return &Error{
		Kind:       Kind(C.GoString(C.nameauth_result_kind(C.uint32_t(r)))),
		Field:      C.GoString(e.field),
		Rule:       C.GoString(e.rule),
		Message:    C.GoString(e.message),
		HTTPStatus: int(e.http_status),
	}
}

// cstrings holds the C copies of a call's strings until free.
type cstrings []*C.char

// add copies s for C; a NUL inside s (which C would silently cut at) is refused here with
// the error the core gives for any other control character, and invalid UTF-8 with the
// core's own error too, but naming field: the C ABI names an option's value "value", and
// New turns both into invalid_config (the core says invalid_input for a bad string).
func (cs *cstrings) add(field, s string) (*C.char, *Error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, &Error{Kind: KindInvalidInput, Field: field, Rule: "control_character",
			Message: field + ": character " + strconv.Itoa(len([]rune(s[:i]))+1) + " is a control character"}
	}
	if !utf8.ValidString(s) {
		return nil, &Error{Kind: KindInvalidInput, Field: field, Rule: "invalid_utf8",
			Message: field + ": is not valid UTF-8"}
	}
	p := C.CString(s)
	*cs = append(*cs, p)
	return p, nil
}

func (cs cstrings) free() {
	for _, p := range cs {
		C.free(unsafe.Pointer(p))
	}
}

// args copies name/value pairs, stopping at the first refusal.
func (cs *cstrings) args(pairs ...string) ([]*C.char, *Error) {
	out := make([]*C.char, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		p, err := cs.add(pairs[i], pairs[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func backendNew(appid, src, key string, set []setting) (handle, error) {
	var cs cstrings
	defer cs.free()
	a, err := cs.args("appid", appid, "src", src, "key", key)
	if err != nil {
		err.Kind = KindInvalidConfig
		return nil, err
	}
	var o *C.nameauth_options
	var e C.go_err
	if r := C.nameauth_options_new(&o); r != C.NAMEAUTH_OK {
		return nil, &Error{Kind: KindInternal, Message: "options: cannot allocate"}
	}
	defer C.nameauth_options_free(o)
	for _, s := range set {
		v, err := cs.args(s.name, s.name, s.name, s.value)
		if err != nil {
			err.Kind = KindInvalidConfig
			return nil, err
		}
		if r := C.go_options_set(o, v[0], v[1], &e); r != C.NAMEAUTH_OK {
			return nil, errorOf(r, &e)
		}
	}
	var h *C.nameauth_client
	if r := C.go_client_new(a[0], a[1], a[2], o, &h, &e); r != C.NAMEAUTH_OK {
		return nil, errorOf(r, &e)
	}
	return h, nil
}

func backendFromEnv() (handle, error) {
	var h *C.nameauth_client
	var e C.go_err
	if r := C.go_client_from_env(&h, &e); r != C.NAMEAUTH_OK {
		return nil, errorOf(r, &e)
	}
	return h, nil
}

func backendFree(h handle) { C.nameauth_client_free(h) }

// backendVerify runs one call with a cancellation token that the context cancels.
//
// Design: the token is cancelled by context.AfterFunc, from whatever goroutine the
// context's end runs on; the core checks it up to the moment it writes the request, so a
// context done before the write means nothing is sent. The token is freed only after the
// AfterFunc has either been stopped or has finished (the C ABI forbids a free racing a
// cancel). A context already done, or whose deadline has passed (deadline < 0, even while
// ctx.Err is still nil), is cancelled here, before the call, since AfterFunc runs its
// function on a goroutine of its own that the call could otherwise outrun.
func backendVerify(ctx context.Context, h handle, openid, truename, creid, cretype string,
	deadline time.Duration, level uint32) (Verdict, []logLine, error) {
	var cs cstrings
	defer cs.free()
	a, err := cs.args("openid", openid, "truename", truename, "creid", creid, "cretype", cretype)
	if err != nil {
		return Verdict{}, nil, err
	}
	// A context that can never be done (context.Background) needs no token.
	var token *C.nameauth_cancel
	stop := func() bool { return true }
	var running sync.WaitGroup
	if ctx.Done() != nil || deadline < 0 {
		if r := C.nameauth_cancel_new(&token); r != C.NAMEAUTH_OK {
			return Verdict{}, nil, &Error{Kind: KindInternal, Message: "cancel: cannot allocate"}
		}
		running.Add(1)
		stop = context.AfterFunc(ctx, func() {
			defer running.Done()
			C.nameauth_cancel_cancel(token)
		})
		if ctx.Err() != nil || deadline < 0 {
			C.nameauth_cancel_cancel(token)
		}
	}
	var ms C.uint64_t
	if deadline > 0 {
		ms = C.uint64_t((deadline + time.Millisecond - 1) / time.Millisecond)
	}
	var v *C.nameauth_verdict
	var e C.go_err
	var logs *C.char
	r := C.go_verify(h, a[0], a[1], a[2], a[3], token, ms, C.uint32_t(level), &v, &e, &logs)
	if token != nil {
		if stop() {
			running.Done()
		}
		running.Wait()
		C.nameauth_cancel_free(token)
	}
	lines := parseLines(logs)
	if r != C.NAMEAUTH_OK {
		return Verdict{}, lines, errorOf(r, &e)
	}
	defer C.nameauth_verdict_free(v)
	return Verdict{
		Code:           C.GoString(C.nameauth_verdict_code(v)),
		Reason:         C.GoString(C.nameauth_verdict_reason(v)),
		ErrorCode:      int64(C.nameauth_verdict_error_code(v)),
		NameauthStatus: C.GoString(C.nameauth_verdict_nameauth_status(v)),
		NotmatchParam:  C.GoString(C.nameauth_verdict_notmatch_param(v)),
		NameMask:       C.GoString(C.nameauth_verdict_name_mask(v)),
		MessageZh:      C.GoString(C.nameauth_verdict_message_zh(v)),
		MessageEn:      C.GoString(C.nameauth_verdict_message_en(v)),
		AdviceZh:       C.GoString(C.nameauth_verdict_advice_zh(v)),
		AdviceEn:       C.GoString(C.nameauth_verdict_advice_en(v)),
		passed:         bool(C.nameauth_verdict_passed(v)),
		configProblem:  bool(C.nameauth_verdict_is_config_problem(v)),
	}, lines, nil
}

// parseLines reads the captured "<level digit> <message>\n" lines and frees them.
func parseLines(logs *C.char) []logLine {
	if logs == nil {
		return nil
	}
	defer C.free(unsafe.Pointer(logs))
	var out []logLine
	for _, l := range strings.Split(C.GoString(logs), "\n") {
		if len(l) < 3 || l[1] != ' ' {
			continue
		}
		out = append(out, logLine{level: slogLevel(l[0]), message: l[2:]})
	}
	return out
}

func backendStats(h handle) (Stats, error) {
	var s C.nameauth_stats
	var e C.go_err
	if r := C.go_stats(h, &s, &e); r != C.NAMEAUTH_OK {
		return Stats{}, errorOf(r, &e)
	}
	st := Stats{
		Calls:             uint64(s.calls),
		Requests:          uint64(s.requests),
		Retries:           uint64(s.retries),
		ConnectionsOpened: uint64(s.connections_opened),
		Failovers:         uint64(s.failovers),
		Verdicts:          map[string]uint64{},
		Errors:            map[Kind]uint64{KindCancelled: uint64(s.cancelled)},
		LatencyP50:        time.Duration(s.latency_p50_us) * time.Microsecond,
		LatencyP90:        time.Duration(s.latency_p90_us) * time.Microsecond,
		LatencyP99:        time.Duration(s.latency_p99_us) * time.Microsecond,
	}
	for i, code := range []string{"A", "B", "C", "D", "E", "F", "Other"} {
		st.Verdicts[code] = uint64(s.verdicts[i])
	}
	for i, k := range []Kind{KindInvalidInput, KindInvalidConfig, KindTimeout, KindTransport, KindProtocol, KindInternal} {
		st.Errors[k] = uint64(s.errors[i])
	}
	return st, nil
}

func backendSign(appid, openid, src, truename, creid, cretype, key string, upper bool) (string, error) {
	var cs cstrings
	defer cs.free()
	a, err := cs.args("appid", appid, "openid", openid, "src", src, "truename", truename,
		"creid", creid, "cretype", cretype, "key", key)
	if err != nil {
		return "", err
	}
	var buf [C.NAMEAUTH_SIGN_LEN]C.char
	var e C.go_err
	u := C.int(0)
	if upper {
		u = 1
	}
	if r := C.go_sign(a[0], a[1], a[2], a[3], a[4], a[5], a[6], u, &buf[0], &e); r != C.NAMEAUTH_OK {
		return "", errorOf(r, &e)
	}
	return C.GoString(&buf[0]), nil
}

func backendValidateID(creid string) error {
	var cs cstrings
	defer cs.free()
	a, err := cs.args("creid", creid)
	if err != nil {
		return err
	}
	var e C.go_err
	if r := C.go_validate_id(a[0], &e); r != C.NAMEAUTH_OK {
		return errorOf(r, &e)
	}
	return nil
}

// slogLevel maps the C ABI's level digit to slog's.
func slogLevel(digit byte) slog.Level {
	switch digit {
	case '1':
		return slog.LevelError
	case '2':
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

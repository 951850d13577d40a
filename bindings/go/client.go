package nameauth

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Client is a configured client: credentials, endpoint, timeouts and one keep-alive
// connection pool. Safe for concurrent use; Close frees it, and a client never closed is
// freed by a finalizer once unreachable.
type Client struct {
	// mu: Verify and Stats hold it for reading during their C call, Close for writing,
	// so the C client is never freed under a call (the C ABI forbids that race).
	mu     sync.RWMutex
	h      handle // nil once closed
	logger *slog.Logger
}

// freed counts the C clients freed (Close or the finalizer), for the finalizer's test.
var freed atomic.Uint64

func newClient(h handle, logger *slog.Logger) *Client {
	c := &Client{h: h, logger: logger}
	runtime.SetFinalizer(c, (*Client).Close)
	return c
}

// New creates a client from the three credentials WeChat Pay issues and options. Bad
// credentials or options are an *Error of kind invalid_config naming the option (never
// its value, never the key).
func New(appid, src, key string, opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	h, err := backendNew(appid, src, key, cfg.set)
	if err != nil {
		return nil, err
	}
	return newClient(h, cfg.logger), nil
}

// FromEnv creates a client from NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY and one
// variable per option (NAMEAUTH_ENDPOINT, NAMEAUTH_TIMEOUT_MS, ...). The only Option it
// takes is WithLogger: the settings come from the environment alone.
func FromEnv(opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.set) > 0 {
		return nil, &Error{Kind: KindInvalidConfig, Field: cfg.set[0].name, Rule: "bad_value",
			Message: cfg.set[0].name + ": FromEnv reads its settings from NAMEAUTH_* variables;" +
				" use New to pass options"}
	}
	h, err := backendFromEnv()
	if err != nil {
		return nil, err
	}
	return newClient(h, cfg.logger), nil
}

// Close frees the client: closes its connections and wipes its key. It waits for calls in
// progress; later calls return an invalid_config error. Closing twice does nothing.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h != nil {
		backendFree(c.h)
		freed.Add(1)
		c.h = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

func closedError() *Error {
	return &Error{Kind: KindInvalidConfig, Field: "client", Rule: "closed",
		Message: "client: the client is closed"}
}

// Verify checks one user: every rule of docs/SPEC.md §3 locally (nothing is sent if one
// fails), then signs, sends and maps the answer. A Verdict is returned whenever the server
// answered, whatever its code; an error (*Error) when there is no usable answer.
//
// The context bounds the call together with the client's timeout: its deadline goes to
// the core as the call's own deadline, and when it is done before the request is written
// the request is never written (kind cancelled; errors.Is(err, context.Canceled) too).
// Once a byte is written the server may be running the check, and the call returns what
// it said. At most MaxConcurrentCalls calls run at once in a process; a call waits for its
// turn first, bounded by its context (the client's timeout starts when its turn comes).
func (c *Client) Verify(ctx context.Context, openid, truename, creid string, opts ...VerifyOption) (Verdict, error) {
	vc := verifyConfig{cretype: ResidentIDCard}
	for _, o := range opts {
		o(&vc)
	}
	// The logger is asked what it wants, and given the call's events, outside the lock
	// and without a slot (slots.go): a handler may even close the client.
	v, lines, expired, err := c.verify(ctx, openid, truename, creid, vc.cretype, logLevel(ctx, c.logger))
	c.log(ctx, lines)
	if err != nil {
		return Verdict{}, withContext(asError(err), ctx, expired)
	}
	return v, nil
}

// verify is the C call, in a slot (slots.go) and under the read lock that keeps Close
// from freeing the client. expired: the context's deadline had passed when it began.
func (c *Client) verify(ctx context.Context, openid, truename, creid, cretype string, level uint32) (v Verdict, lines []logLine, expired bool, err error) {
	defer takeSlot(ctx)()
	// The deadline counts from here, after the wait for a slot. One already past is
	// negative: backendVerify then cancels the call's token before the call, even while
	// ctx.Err() is still nil (context.WithDeadline sets it only when its timer fires, a
	// moment after the deadline).
	var deadline time.Duration
	if d, ok := ctx.Deadline(); ok {
		if deadline = time.Until(d); deadline <= 0 {
			deadline, expired = -1, true
		}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.h == nil {
		return Verdict{}, nil, expired, closedError()
	}
	v, lines, err = backendVerify(ctx, c.h, openid, truename, creid, cretype, deadline, level)
	return v, lines, expired, err
}

// Item is one user for VerifyMany.
type Item struct {
	OpenID, TrueName, CreID string
	// CreType is the document type; "" means "1" (ResidentIDCard).
	CreType string
}

// Result is the outcome of one Item: a Verdict, or an error (*Error).
type Result struct {
	Verdict Verdict
	Err     error
}

// VerifyMany verifies items with at most concurrency calls at once (16 when concurrency
// is 0 or less) and returns one Result per item, in input order. Items not started when
// ctx is done end with a cancelled error and are not sent.
func (c *Client) VerifyMany(ctx context.Context, items []Item, concurrency int) []Result {
	if concurrency <= 0 {
		concurrency = 16
	}
	out := make([]Result, len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(concurrency, len(items)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				it := items[i]
				cretype := it.CreType
				if cretype == "" {
					cretype = ResidentIDCard
				}
				out[i].Verdict, out[i].Err = c.Verify(ctx, it.OpenID, it.TrueName, it.CreID, WithCretype(cretype))
			}
		}()
	}
	for i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Stats is what a client did since it was built (shared by every goroutine using it).
type Stats struct {
	// Calls to Verify (refused inputs included).
	Calls uint64
	// Requests attempted (first attempts, retries and failovers).
	Requests uint64
	// Retries: attempts after the first of a call (failovers not included).
	Retries uint64
	// ConnectionsOpened: TCP connections opened; other requests reused the pool.
	ConnectionsOpened uint64
	// Failovers: requests sent to the fallback endpoint.
	Failovers uint64
	// Verdicts by code: "A" … "F" and "Other".
	Verdicts map[string]uint64
	// Errors by kind (KindCancelled included).
	Errors map[Kind]uint64
	// Latency percentiles of the calls that sent a request (within 12.5 %; 0 before the first).
	LatencyP50, LatencyP90, LatencyP99 time.Duration
}

// Stats returns the client's counters.
func (c *Client) Stats() (Stats, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.h == nil {
		return Stats{}, closedError()
	}
	return backendStats(c.h)
}

// String describes the client without any of its settings (the key least of all).
func (c *Client) String() string { return "nameauth.Client" }

// GoString keeps %#v from printing the client's internals.
func (c *Client) GoString() string { return "&nameauth.Client{}" }

// Format prints the same for every verb (%v, %+v, %#v, %s).
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// Sign computes the signature of a request (docs/SPEC.md §2): MD5 over the parameters in
// order and the key, 32 hex digits. The arguments are in the order of every nameauth front
// end; cretype "" means "1".
func Sign(appid, openid, src, truename, creid, cretype, key string, signCase SignCase) (string, error) {
	if cretype == "" {
		cretype = ResidentIDCard
	}
	if signCase != SignCaseLower && signCase != SignCaseUpper {
		return "", &Error{Kind: KindInvalidInput, Field: "sign_case", Rule: "bad_value",
			Message: "sign_case: must be SignCaseLower or SignCaseUpper"}
	}
	return backendSign(appid, openid, src, truename, creid, cretype, key, signCase == SignCaseUpper)
}

// ValidateID checks a resident ID number against every rule of docs/SPEC.md §3; nil, or
// an *Error of kind invalid_input naming the rule.
func ValidateID(creid string) error { return backendValidateID(creid) }

// logLine is one event a call captured.
type logLine struct {
	level   slog.Level
	message string
}

// A logger cannot take a call's verdict or error. By the time the events are handed over
// the request may have been written, so a panic there must not reach the caller: it would
// lose the answer, and a caller that tries again checks the person twice. A handler that
// panics (in Enabled or Handle) is recovered, the call's remaining events are dropped, and
// one line goes to the standard log package, as net/http does with a handler's panic.
func loggerPanicked(r any) {
	log.Printf("nameauth: the logger panicked (its events for this call are dropped; the call keeps its result): %v", r)
}

// log hands the call's events to the logger, never letting a panic out (above).
func (c *Client) log(ctx context.Context, lines []logLine) {
	if len(lines) == 0 {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			loggerPanicked(r)
		}
	}()
	for _, l := range lines {
		c.logger.Log(ctx, l.level, l.message)
	}
}

// logLevel is the C ABI's capture level for what l wants: 3 info, 2 warn, 1 error, 0 none
// (also when l's Enabled panics: see loggerPanicked).
func logLevel(ctx context.Context, l *slog.Logger) (level uint32) {
	defer func() {
		if r := recover(); r != nil {
			loggerPanicked(r)
			level = 0
		}
	}()
	switch {
	case l == nil:
		return 0
	case l.Enabled(ctx, slog.LevelInfo):
		return 3
	case l.Enabled(ctx, slog.LevelWarn):
		return 2
	case l.Enabled(ctx, slog.LevelError):
		return 1
	}
	return 0
}

// String shows an Item masked, as the core's log lines do: fmt's verbs never print its
// name or ID number in clear.
func (it Item) String() string {
	return "nameauth.Item{openid=" + mask(it.OpenID, 3, 2) + " truename=" + mask(it.TrueName, 0, 1) +
		" creid=" + mask(it.CreID, 3, 2) + " cretype=" + it.CreType + "}"
}

// GoString is String, for %#v.
func (it Item) GoString() string { return it.String() }

// Format prints String for every verb.
func (it Item) Format(f fmt.State, _ rune) { fmt.Fprint(f, it.String()) }

// LogValue is String for log/slog, whose JSON handler would otherwise write the fields in
// clear. encoding/json itself still writes an Item in full (it is the caller's data, and
// may be stored), and so does slog's JSON handler for an Item inside a slice or struct.
func (it Item) LogValue() slog.Value { return slog.StringValue(it.String()) }

// mask keeps the first head and last tail characters of s (none when s is too short).
func mask(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail+1 {
		return "****"
	}
	return string(r[:head]) + "****" + string(r[len(r)-tail:])
}

//go:build cgo && linux

package nameauth

import (
	"bytes"
	"context"
	"errors"
	"log"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nameauth/nameauth/bindings/go/nameauthtest"
)

// hostileHandler is a slog.Handler that panics in Enabled or Handle (at level at and
// above), or closes the client from Enabled.
type hostileHandler struct {
	panicEnabled bool
	panicAt      *slog.Level
	closeClient  **Client
}

func (h hostileHandler) Enabled(context.Context, slog.Level) bool {
	if h.panicEnabled {
		panic("Enabled panicked")
	}
	if h.closeClient != nil {
		(*h.closeClient).Close()
	}
	return true
}

func (h hostileHandler) Handle(_ context.Context, r slog.Record) error {
	if h.panicAt != nil && r.Level >= *h.panicAt {
		panic("Handle panicked")
	}
	return nil
}
func (h hostileHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h hostileHandler) WithGroup(string) slog.Handler      { return h }

// captureStdLog sends the standard log package's output to a buffer for the test.
func captureStdLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	w := log.Writer()
	log.SetOutput(&buf)
	t.Cleanup(func() { log.SetOutput(w) })
	return &buf
}

// A logger that panics, once the request was written, takes neither the verdict nor the
// answer's place: the call returns what the server said (exactly one request), and the
// panic is one line on the standard log. Before the fix the panic left Verify with the
// request sent and the verdict lost, and a caller that tried again checked the person
// twice. oFlaky answers 503 twice, so the panicking Warn lines come before the verdict.
func TestALoggerThatPanicsDoesNotTakeTheVerdict(t *testing.T) {
	warn, info := slog.LevelWarn, slog.LevelInfo
	for name, h := range map[string]hostileHandler{
		"Enabled": {panicEnabled: true}, "Handle": {panicAt: &info}, "Handle on a retry": {panicAt: &warn},
	} {
		t.Run(name, func(t *testing.T) {
			stdlog := captureStdLog(t)
			sb := nameauthtest.NewSandbox(t)
			sb.AddFixture(t, "oFlaky", `{"fault": "http_503", "fail_times": 2, "status": 1, "truename": "张三", "creid": "110101199003074477"}`)
			c, err := New(sb.AppID, sb.Src, sb.Key, WithEndpoint(sb.URL), WithLogger(slog.New(h)))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var v Verdict
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("the logger's panic reached the caller (%d requests sent): %v", sb.Hits("oFlaky"), r)
					}
				}()
				v, err = c.Verify(context.Background(), "oFlaky", zsName, zsID)
			}()
			if err != nil || v.Code != "A" || sb.Hits("oFlaky") != 3 {
				t.Fatalf("verdict %v, error %v, %d requests (want A, 3)", v, err, sb.Hits("oFlaky"))
			}
			if got := stdlog.String(); strings.Count(got, "the logger panicked") != 1 {
				t.Fatalf("standard log: %q", got)
			}
		})
	}
}

// A handler whose Enabled closes the client: the logger is asked before the call takes
// the client's lock, so the call ends as a call after Close does (nothing sent) instead
// of waiting forever for its own read lock (as it did before).
func TestALoggerWhoseEnabledClosesTheClientDoesNotDeadlock(t *testing.T) {
	var c *Client
	c = newTestClient(t, WithLogger(slog.New(hostileHandler{closeClient: &c})))
	before := sandboxStats(t).Requests
	done := make(chan error, 1)
	go func() {
		_, err := c.Verify(context.Background(), zsOpenID, zsName, zsID)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrInvalidConfig) {
			t.Fatalf("Verify on a client its logger closed: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Verify deadlocked with a logger whose Enabled closes the client")
	}
	if after := sandboxStats(t).Requests; after != before {
		t.Fatalf("sent after Close: %d -> %d", before, after)
	}
}

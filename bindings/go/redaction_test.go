//go:build cgo

package nameauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// No channel shows the key, or a name or ID number in clear: errors, every fmt verb of
// every type, and the slog output (text and JSON handlers at Debug).
func TestNothingShowsTheKeyNameOrID(t *testing.T) {
	key := env(t, "NAMEAUTH_KEY")
	secrets := []string{key, zsName, zsID, "李四"}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	textLogger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, WithLogger(logger), WithProxy("http://user:"+key+"@127.0.0.1:9"), WithAllowHTTP(true))
	direct := newTestClient(t, WithLogger(textLogger))
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	var shown []any
	add := func(xs ...any) { shown = append(shown, xs...) }
	// Through the proxy (nothing listens on port 9): a transport error.
	_, err := c.Verify(ctx, zsOpenID, zsName, zsID)
	add(err)
	v, err := direct.Verify(ctx, zsOpenID, zsName, zsID)
	add(v, err)
	v, err = direct.Verify(ctx, zsOpenID, "李四", zsID)
	add(v, err)
	_, err = direct.Verify(ctx, zsOpenID, zsName, zsID[:17]+"8")
	add(err)
	_, err = direct.Verify(ctx, zsOpenID, "张三3", zsID)
	add(err)
	_, err = direct.Verify(cancelled, zsOpenID, zsName, zsID)
	add(err)
	short, cancelShort := context.WithTimeout(ctx, 100*time.Millisecond)
	_, err = direct.Verify(short, "oSlow", zsName, zsID)
	cancelShort()
	add(err)
	_, err = New("wxsandbox00000001", "sandbox", key, WithProxy("ftp://"+key))
	add(err)
	_, err = New("wxsandbox00000001", "sandbox", key+"\x01")
	add(err)
	_, err = Sign("a", "o", "s", zsName, zsID, "1", key+"\x00", SignCaseLower)
	add(err)
	add(ValidateID(zsID[:17] + "8"))
	st, _ := direct.Stats()
	items := []Item{{OpenID: zsOpenID, TrueName: zsName, CreID: zsID}}
	add(st, c, direct, items[0], items, direct.VerifyMany(ctx, items, 1), SignCaseUpper)

	var out strings.Builder
	for _, x := range shown {
		if x == nil {
			continue
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			fmt.Fprintf(&out, verb+"\n", x)
		}
	}
	if !strings.Contains(logs.String(), "verify") {
		t.Fatalf("no events were logged: %q", logs.String())
	}
	// The caller's own slog line with an Item, through both handlers (LogValue).
	logger.Info("item", "item", items[0])
	textLogger.Info("item", "item", items[0])
	out.WriteString(logs.String())
	for _, s := range secrets {
		if i := strings.Index(out.String(), s); i >= 0 {
			t.Fatalf("%q shown in clear: ...%s...", s, out.String()[max(0, i-200):i+len(s)])
		}
	}
}

// The events reach the slog.Logger at their levels, one masked line per call.
func TestEventsGoToTheLogger(t *testing.T) {
	var logs bytes.Buffer
	c := newTestClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if _, err := c.Verify(context.Background(), zsOpenID, zsName, zsID); err != nil {
		t.Fatal(err)
	}
	line := logs.String()
	if !strings.Contains(line, "level=INFO") || !strings.Contains(line, "outcome=A") ||
		strings.Count(line, "\n") != 1 {
		t.Fatalf("log: %q", line)
	}
	// A logger that wants only warnings gets nothing for a plain call.
	logs.Reset()
	quiet := newTestClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if _, err := quiet.Verify(context.Background(), zsOpenID, zsName, zsID); err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 0 {
		t.Fatalf("a Warn logger got: %q", logs.String())
	}
}

// closingHandler closes the client from inside a log call.
type closingHandler struct{ c **Client }

func (h closingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h closingHandler) Handle(context.Context, slog.Record) error {
	return (*h.c).Close()
}
func (h closingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h closingHandler) WithGroup(string) slog.Handler      { return h }

// The logger runs after the call has let go of the client: a handler that closes the
// client neither deadlocks nor loses the verdict.
func TestALoggerMayCloseTheClient(t *testing.T) {
	var c *Client
	c = newTestClient(t, WithLogger(slog.New(closingHandler{&c})))
	done := make(chan error, 1)
	go func() {
		v, err := c.Verify(context.Background(), zsOpenID, zsName, zsID)
		if err == nil && v.Code != "A" {
			err = fmt.Errorf("verdict %v", v)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Verify deadlocked with a logger that closes the client")
	}
	if _, err := c.Verify(context.Background(), zsOpenID, zsName, zsID); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("after the logger closed it: %v", err)
	}
}

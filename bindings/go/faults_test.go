//go:build cgo && linux

package nameauth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nameauth/nameauth/bindings/go/nameauthtest"
)

// A non-2xx answer is a transport error carrying the server's HTTP status; other
// failures carry 0.
func TestTransportErrorCarriesTheHTTPStatus(t *testing.T) {
	sb := nameauthtest.NewSandbox(t)
	sb.AddFixture(t, "oDown", `{"fault": "http_503", "fail_times": 100, "status": 2}`)
	c, err := New(sb.AppID, sb.Src, sb.Key, WithEndpoint(sb.URL), WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Verify(context.Background(), "oDown", zsName, zsID)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTransport || e.HTTPStatus != 503 {
		t.Fatalf("503: %#v", err)
	}
	_, err = c.Verify(context.Background(), zsOpenID, zsName, "bad")
	if !errors.As(err, &e) || e.HTTPStatus != 0 {
		t.Fatalf("bad input: %#v", err)
	}
}

// The hostile order for the write point: the context ends while the call is under way,
// between attempts (the server answered 503; the core waits to retry). The retry is never
// written: the call ends cancelled, and at most the attempt already being written when
// cancel ran reaches the sandbox (retries=10 would otherwise send 11).
func TestCancelBetweenAttemptsWritesNoMoreRequests(t *testing.T) {
	sb := nameauthtest.NewSandbox(t)
	sb.AddFixture(t, "oDown", `{"fault": "http_503", "fail_times": 1000, "status": 2}`)
	c, err := New(sb.AppID, sb.Src, sb.Key, WithEndpoint(sb.URL), WithRetries(10), WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	atCancel := make(chan uint64, 1)
	go func() {
		end := time.Now().Add(30 * time.Second)
		for sb.Hits("oDown") == 0 && time.Now().Before(end) {
			time.Sleep(time.Millisecond)
		}
		n := sb.Hits("oDown")
		cancel()
		atCancel <- n
	}()
	_, err = c.Verify(ctx, "oDown", zsName, zsID)
	if !errors.Is(err, ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled between attempts: %v", err)
	}
	n := <-atCancel
	if got := sb.Hits("oDown"); n == 0 || got > n+1 {
		t.Fatalf("requests: %d when cancelled, %d in the end", n, got)
	}
}

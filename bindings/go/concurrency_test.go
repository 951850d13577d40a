//go:build cgo && linux

package nameauth

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/nameauth/nameauth/bindings/go/nameauthtest"
)

// oSlowA answers A after a second: long enough to hold calls in flight.
const slowA = `{"fault": "slow", "delay_ms": 1000, "status": 1, "truename": "张三", "creid": "110101199003074477"}`

// waitHits waits (30 s at most) until the sandbox has n requests for openid.
func waitHits(t *testing.T, sb *nameauthtest.Sandbox, openid string, n uint64) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); sb.Hits(openid) < n; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%d of %d requests reached the sandbox", sb.Hits(openid), n)
		}
	}
}

// Close while calls are in flight on other goroutines (twice, at once): it waits for
// them, each keeps its verdict (the server was asked once per call), and a call after
// Close is refused before anything is sent.
func TestCloseWithCallsInFlightKeepsEveryVerdict(t *testing.T) {
	sb := nameauthtest.NewSandbox(t)
	sb.AddFixture(t, "oSlowA", slowA)
	c, err := New(sb.AppID, sb.Src, sb.Key, WithEndpoint(sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	calls := verifyAtOnce(c, n, "oSlowA")
	waitHits(t, sb, "oSlowA", n)
	var closes sync.WaitGroup
	for range 2 {
		closes.Add(1)
		go func() { defer closes.Done(); c.Close() }()
	}
	closes.Wait()
	for i, err := range calls() {
		if err != nil {
			t.Errorf("call %d in flight at Close: %v", i, err)
		}
	}
	if _, err := c.Verify(context.Background(), "oSlowA", zsName, zsID); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("after Close: %v", err)
	}
	if got := sb.Hits("oSlowA"); got != n {
		t.Fatalf("%d requests for %d calls", got, n)
	}
}

// 200 goroutines, each with its own context, all cancelled once the first request is at
// the sandbox: every call returns, each either cancelled (never sent) or with the
// server's verdict, the sandbox saw exactly one request per verdict, and no goroutine is
// left behind (the AfterFunc that cancels each call's token ends with it).
func TestTwoHundredCallsCancelledMidFlightAllReturnAndCountExactly(t *testing.T) {
	sb := nameauthtest.NewSandbox(t)
	sb.AddFixture(t, "oSlowA", slowA)
	c, err := New(sb.AppID, sb.Src, sb.Key, WithEndpoint(sb.URL), WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	goroutines := runtime.NumGoroutine()
	const n = 200
	var wg sync.WaitGroup
	errs := make([]error, n)
	cancels := make([]context.CancelFunc, n)
	for i := range errs {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[i] = cancel
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Verify(ctx, "oSlowA", zsName, zsID)
		}()
	}
	waitHits(t, sb, "oSlowA", 1)
	for _, cancel := range cancels {
		cancel()
	}
	wg.Wait()
	var verdicts uint64
	for i, err := range errs {
		switch {
		case err == nil:
			verdicts++
		case !errors.Is(err, ErrCancelled) || !errors.Is(err, context.Canceled):
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if got := sb.Hits("oSlowA"); got != verdicts {
		t.Fatalf("%d requests at the sandbox, %d verdicts", got, verdicts)
	}
	for end := time.Now().Add(20 * time.Second); runtime.NumGoroutine() > goroutines; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%d goroutines before the calls, %d after", goroutines, runtime.NumGoroutine())
		}
	}
}

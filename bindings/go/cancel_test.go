//go:build cgo

package nameauth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A context cancelled before the call: the request is never written (the sandbox's own
// counter does not move), the error is cancelled and also context.Canceled.
func TestCancelledContextSendsNothing(t *testing.T) {
	c := newTestClient(t)
	before := sandboxStats(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := 0; i < 20; i++ {
		_, err := c.Verify(ctx, zsOpenID, zsName, zsID)
		if !errors.Is(err, ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	after := sandboxStats(t)
	if after.Requests != before.Requests || after.Hits[zsOpenID] != before.Hits[zsOpenID] {
		t.Fatalf("a cancelled call reached the sandbox: %d -> %d requests", before.Requests, after.Requests)
	}
	s, _ := c.Stats()
	if s.Errors[KindCancelled] != 20 || s.Requests != 0 {
		t.Fatalf("client stats: %+v", s)
	}
}

// A deadline already past is the same: nothing sent, and errors.Is DeadlineExceeded.
func TestPastDeadlineSendsNothing(t *testing.T) {
	c := newTestClient(t)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	verifyPastDeadlineSendsNothing(t, ctx, c, "past deadline")
}

// lateContext is a context in the moment after its deadline and before its timer fires
// (context.WithDeadline's Err stays nil until then): Deadline is past, Done still open.
type lateContext struct{ context.Context }

func (lateContext) Deadline() (time.Time, bool) { return time.Now().Add(-time.Second), true }
func (lateContext) Done() <-chan struct{}       { return make(chan struct{}) }

// A deadline already past is past even before the context says so: nothing is sent, as
// net's dialer refuses such a deadline. Before, the call went out with a 1 ms budget
// (the request written, and the answer then too late to be returned).
func TestAPassedDeadlineSendsNothingBeforeItsTimerFires(t *testing.T) {
	c := newTestClient(t)
	verifyPastDeadlineSendsNothing(t, lateContext{context.Background()}, c, "past deadline, timer not fired")
}

// verifyPastDeadlineSendsNothing verifies 张三 with ctx, whose deadline is past (or
// passes before the call's turn), and fails the test unless the call ends cancelled and
// DeadlineExceeded with nothing sent; what names the case.
func verifyPastDeadlineSendsNothing(t *testing.T, ctx context.Context, c *Client, what string) {
	t.Helper()
	before := sandboxStats(t).Requests
	_, err := c.Verify(ctx, zsOpenID, zsName, zsID)
	if !errors.Is(err, ErrCancelled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s: %v", what, err)
	}
	if after := sandboxStats(t).Requests; after != before {
		t.Fatalf("%s: sent: %d -> %d", what, before, after)
	}
}

// The context's deadline bounds a call the server is slow to answer (oSlow answers after
// 5 s; the client's own timeout is 60 s): a timeout that is also DeadlineExceeded, well
// before either. The bound is generous (4 s for a 300 ms deadline).
func TestContextDeadlineBoundsTheCall(t *testing.T) {
	c := newTestClient(t, WithTimeout(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Verify(ctx, "oSlow", zsName, zsID)
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow call: %v", err)
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Fatalf("the deadline did not bound the call: %v", took)
	}
}

// Cancelling once the request was written changes nothing: the call returns the server's
// answer. The order is forced through the sandbox's counter: cancel only after the
// sandbox has the request.
func TestCancelAfterWriteReturnsTheAnswer(t *testing.T) {
	c := newTestClient(t)
	before := sandboxStats(t).Hits["oSlow"]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		end := time.Now().Add(30 * time.Second)
		for sandboxStats(t).Hits["oSlow"] == before && time.Now().Before(end) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	v, err := c.Verify(ctx, "oSlow", zsName, zsID)
	if err != nil {
		t.Fatalf("cancelled after the write: %v", err)
	}
	if v.Code == "" || ctx.Err() == nil {
		t.Fatalf("verdict %#v, ctx %v", v, ctx.Err())
	}
}

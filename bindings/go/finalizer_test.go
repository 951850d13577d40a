//go:build cgo

package nameauth

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// A client that is never closed is freed once unreachable (runtime.SetFinalizer).
func TestAClientNeverClosedIsFreedByItsFinalizer(t *testing.T) {
	before := freed.Load()
	func() {
		c, err := New(env(t, "NAMEAUTH_APPID"), env(t, "NAMEAUTH_SRC"), env(t, "NAMEAUTH_KEY"),
			WithEndpoint(env(t, "NAMEAUTH_ENDPOINT")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Verify(context.Background(), zsOpenID, zsName, zsID); err != nil {
			t.Fatal(err)
		}
	}()
	end := time.Now().Add(20 * time.Second)
	for freed.Load() == before {
		if time.Now().After(end) {
			t.Fatal("the unreachable client was never freed")
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// The finalizer never frees a client under its own call: the goroutine's only reference
// is the receiver of a Verify waiting on oSlow's answer, and collections during the call
// free nothing; the verdict arrives, and the client is freed after.
func TestTheFinalizerWaitsForACallInFlight(t *testing.T) {
	before := sandboxStats(t).Hits["oSlow"]
	freedBefore := freed.Load()
	done := make(chan error, 1)
	go func() {
		c, err := New(env(t, "NAMEAUTH_APPID"), env(t, "NAMEAUTH_SRC"), env(t, "NAMEAUTH_KEY"),
			WithEndpoint(env(t, "NAMEAUTH_ENDPOINT")), WithTimeout(time.Minute))
		if err == nil {
			var v Verdict
			if v, err = c.Verify(context.Background(), "oSlow", zsName, zsID); err == nil && v.Code == "" {
				err = errors.New("no verdict")
			}
		}
		done <- err
	}()
	for end := time.Now().Add(30 * time.Second); sandboxStats(t).Hits["oSlow"] == before; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the call never reached the sandbox")
		}
	}
	for range 10 {
		runtime.GC()
	}
	// oSlow answers after 5 s: the call is normally still in flight here; if it is not,
	// a free now is the finalizer's right and proves nothing either way.
	select {
	case err := <-done:
		done <- err
	default:
		if freed.Load() != freedBefore {
			t.Fatal("a client was freed while its call was in flight")
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(20 * time.Second); freed.Load() == freedBefore; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the client was never freed after its call")
		}
		runtime.GC()
	}
}

//go:build cgo

package nameauth

import (
	"context"
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

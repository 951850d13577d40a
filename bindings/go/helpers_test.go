//go:build cgo

package nameauth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
)

// The sandbox's defaults (crates/sandbox): tests run under tools/with_sandbox.py, which
// exports NAMEAUTH_ENDPOINT and the credentials of a fresh sandbox.
const (
	zsOpenID = "oZhangSan"
	zsName   = "张三"
	zsID     = "110101199003074477"
)

func env(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run the tests under tools/with_sandbox.py (make test-go)", name)
	}
	return v
}

// newClient is a client of the sandbox of the environment.
func newTestClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithEndpoint(env(t, "NAMEAUTH_ENDPOINT"))}, opts...)
	c, err := New(env(t, "NAMEAUTH_APPID"), env(t, "NAMEAUTH_SRC"), env(t, "NAMEAUTH_KEY"), opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// sandboxStats reads the sandbox's own counters (GET /__sandbox/stats, not itself counted).
type sandboxCounters struct {
	Requests uint64            `json:"requests"`
	Hits     map[string]uint64 `json:"hits"`
}

func sandboxStats(t *testing.T) sandboxCounters {
	t.Helper()
	u, err := url.Parse(env(t, "NAMEAUTH_ENDPOINT"))
	if err != nil {
		t.Fatalf("NAMEAUTH_ENDPOINT: %v", err)
	}
	u.Path, u.RawQuery = "/__sandbox/stats", ""
	resp, err := http.Get(u.String())
	if err != nil {
		t.Fatalf("sandbox stats: %v", err)
	}
	defer resp.Body.Close()
	var s sandboxCounters
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatalf("sandbox stats: %v", err)
	}
	return s
}

// verifyAtOnce starts n Verify calls for openid (张三's name and ID number), each on its
// own goroutine; the function it returns waits for them and gives each call's error (a
// verdict other than A is one too).
func verifyAtOnce(c *Client, n int, openid string) (wait func() []error) {
	var calls sync.WaitGroup
	errs := make([]error, n)
	for i := range errs {
		calls.Add(1)
		go func() {
			defer calls.Done()
			v, err := c.Verify(context.Background(), openid, zsName, zsID)
			if err == nil && v.Code != "A" {
				err = errors.New("verdict " + v.String())
			}
			errs[i] = err
		}()
	}
	return func() []error {
		calls.Wait()
		return errs
	}
}

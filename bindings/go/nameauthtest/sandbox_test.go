//go:build cgo && linux

package nameauthtest

import (
	"context"
	"errors"
	"testing"

	nameauth "github.com/nameauth/nameauth/bindings/go"
)

func TestNewSandboxServesAndStopsAtCleanup(t *testing.T) {
	var url, appid, src, key string
	t.Run("inside", func(t *testing.T) {
		sb := NewSandbox(t)
		url, appid, src, key = sb.URL, sb.AppID, sb.Src, sb.Key
		c, err := nameauth.New(sb.AppID, sb.Src, sb.Key, nameauth.WithEndpoint(sb.URL))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		v, err := c.Verify(context.Background(), "oZhangSan", "张三", "110101199003074477")
		if err != nil || v.Code != "A" {
			t.Fatalf("verify: %v %v", v, err)
		}
		sb.AddFixture(t, "oLiSi", `{"status": 1, "truename": "李四", "creid": "11010519491231002X"}`)
		v, err = c.Verify(context.Background(), "oLiSi", "李四", "11010519491231002X")
		if err != nil || v.Code != "A" {
			t.Fatalf("verify the added fixture: %v %v", v, err)
		}
		if sb.Requests() != 2 || sb.Hits("oLiSi") != 1 {
			t.Fatalf("counters: %d requests, %d hits", sb.Requests(), sb.Hits("oLiSi"))
		}
	})
	// After the subtest's cleanup the sandbox no longer answers.
	c, err := nameauth.New(appid, src, key, nameauth.WithEndpoint(url), nameauth.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Verify(context.Background(), "oZhangSan", "张三", "110101199003074477"); !errors.Is(err, nameauth.ErrTransport) {
		t.Fatalf("after cleanup: %v", err)
	}
}

//go:build cgo && linux

package nameauthtest_test

import (
	"context"
	"testing"

	nameauth "github.com/nameauth/nameauth/bindings/go"
	"github.com/nameauth/nameauth/bindings/go/nameauthtest"
)

// The test of README.md's and bindings/go/README.md's "sandbox in your tests" block.
func TestSignup(t *testing.T) {
	sb := nameauthtest.NewSandbox(t) // stopped by t.Cleanup
	c, err := nameauth.New(sb.AppID, sb.Src, sb.Key, nameauth.WithEndpoint(sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, err := c.Verify(context.Background(), "oZhangSan", "张三", "110101199003074477")
	if err != nil || !v.Passed() || sb.Requests() != 1 {
		t.Fatalf("verdict %v, error %v, %d requests", v, err, sb.Requests())
	}
}

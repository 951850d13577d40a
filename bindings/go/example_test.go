//go:build cgo

package nameauth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	nameauth "github.com/nameauth/nameauth/bindings/go"
)

// The example of README.md and bindings/go/README.md (tools/check_snippets.py and
// readme_test.go keep them the same), against the sandbox of the environment.
func Example() {
	appid, src, key := os.Getenv("NAMEAUTH_APPID"), os.Getenv("NAMEAUTH_SRC"), os.Getenv("NAMEAUTH_KEY")
	endpoint := os.Getenv("NAMEAUTH_ENDPOINT")
	ctx := context.Background()

	c, err := nameauth.New(appid, src, key,
		nameauth.WithEndpoint(endpoint), // without it: WeChat Pay's own
		nameauth.WithTimeout(5*time.Second))
	if err != nil {
		log.Fatal(err) // an *nameauth.Error naming the option; never the key
	}
	defer c.Close()
	v, err := c.Verify(ctx, "oZhangSan", "张三", "110101199003074477")
	switch {
	case errors.Is(err, nameauth.ErrInvalidInput): // nothing was sent; see err's Field and Rule
	case err != nil: // *nameauth.Error: timeout, transport, protocol, cancelled, ...
	default:
		fmt.Println(v.Code, v.Passed()) // A true
	}
	// Output: A true
}

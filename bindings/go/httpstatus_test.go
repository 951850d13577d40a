//go:build cgo && linux

package nameauth

import (
	"context"
	"errors"
	"testing"

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

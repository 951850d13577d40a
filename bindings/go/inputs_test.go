//go:build cgo

package nameauth

import (
	"errors"
	"strings"
	"testing"
)

// Every string New takes, with a NUL (which C would cut at) or invalid UTF-8: an
// invalid_config error naming the credential or option and the rule, never the value.
// Before, invalid UTF-8 in a credential was invalid_input, and in an option's value it
// was blamed on a field called "value".
func TestBadCredentialAndOptionStringsNameTheirField(t *testing.T) {
	const appid, src, secret = "wxsandbox00000001", "sandbox", "k3y-s3cret-0123456789"
	for _, bad := range []struct{ text, rule string }{{"a\x00b", "control_character"}, {"a\xffb", "invalid_utf8"}} {
		for field, try := range map[string]func() error{
			"appid": func() error { _, err := New(bad.text, src, secret); return err },
			"src":   func() error { _, err := New(appid, bad.text, secret); return err },
			"key":   func() error { _, err := New(appid, src, secret+bad.text); return err },
			"endpoint": func() error {
				_, err := New(appid, src, secret, WithEndpoint("http://127.0.0.1/"+bad.text))
				return err
			},
			"fallback_endpoint": func() error {
				_, err := New(appid, src, secret, WithFallbackEndpoint("http://127.0.0.1/"+bad.text))
				return err
			},
			"proxy": func() error {
				_, err := New(appid, src, secret, WithProxy("http://u:"+secret+bad.text+"@127.0.0.1:9"))
				return err
			},
			"ca_file": func() error { _, err := New(appid, src, secret, WithCAFile("/tmp/"+bad.text)); return err },
		} {
			err := try()
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalidConfig || e.Field != field || e.Rule != bad.rule ||
				!strings.HasPrefix(e.Message, field+": ") || strings.Contains(e.Message, secret) {
				t.Errorf("%s with %q: %#v", field, bad.text, err)
			}
		}
	}
}

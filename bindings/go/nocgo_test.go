//go:build !cgo

package nameauth

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Built with CGO_ENABLED=0, every call says cgo is needed, as an invalid_config error.
func TestWithoutCgoEveryCallSaysCgoIsNeeded(t *testing.T) {
	_, err := New("a", "s", "k")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInvalidConfig || !strings.Contains(e.Message, "cgo") {
		t.Fatalf("New: %#v", err)
	}
	if _, err := FromEnv(); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("FromEnv: %v", err)
	}
	if _, err := Sign("a", "o", "s", "n", "c", "1", "k", SignCaseLower); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("Sign: %v", err)
	}
	if err := ValidateID("110101199003074477"); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("ValidateID: %v", err)
	}
	var c Client
	if _, err := c.Verify(context.Background(), "o", "n", "c"); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("Verify: %v", err)
	}
}

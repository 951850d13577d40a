//go:build !cgo

package nameauth

import (
	"context"
	"time"
)

// handle is nothing without cgo: no client can be made.
type handle = *struct{}

func noCgo() *Error {
	return &Error{Kind: KindInvalidConfig, Field: "cgo", Rule: "missing",
		Message: "cgo: this program was built with CGO_ENABLED=0, and nameauth needs cgo " +
			"(build with CGO_ENABLED=1 and a C compiler)"}
}

func backendNew(string, string, string, []setting) (handle, error) { return nil, noCgo() }
func backendFromEnv() (handle, error)                              { return nil, noCgo() }
func backendFree(handle)                                           {}
func backendVerify(context.Context, handle, string, string, string, string, time.Duration, uint32) (Verdict, []logLine, error) {
	return Verdict{}, nil, noCgo()
}
func backendStats(handle) (Stats, error) { return Stats{}, noCgo() }
func backendSign(string, string, string, string, string, string, string, bool) (string, error) {
	return "", noCgo()
}
func backendValidateID(string) error { return noCgo() }

//go:build cgo && (dynamic || !(linux && amd64))

package nameauth

// The system library through pkg-config (the .deb and the tarball ship nameauth.pc): with
// the build tag `dynamic`, and on every platform the module carries no archive for.

// #cgo pkg-config: nameauth
import "C"

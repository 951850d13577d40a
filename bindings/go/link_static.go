//go:build cgo && !dynamic && linux && amd64

package nameauth

// The glibc-2.17 static archive the module carries (copied in by `make go-lib`, shipped in
// the module zip by `make dist`), and what it needs from the C library.

// #cgo CFLAGS: -I${SRCDIR}/include
// #cgo LDFLAGS: ${SRCDIR}/lib/linux_amd64/libnameauth.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
import "C"

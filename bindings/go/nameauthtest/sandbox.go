//go:build cgo && linux

// Package nameauthtest starts the nameauth sandbox (a faithful stand-in for the WeChat Pay
// server) inside a test, as net/http/httptest.NewServer starts a server:
//
//	sb := nameauthtest.NewSandbox(t) // stopped by t.Cleanup
//	c, _ := nameauth.New(sb.AppID, sb.Src, sb.Key, nameauth.WithEndpoint(sb.URL))
//
// It runs libnameauth_sandbox in the test process, loaded with dlopen (so it never shares
// a link with the client's static archive: two Rust static archives in one binary clash).
// The library is looked for at $NAMEAUTH_SANDBOX_LIBRARY, then next to this package in
// the module (lib/linux_amd64/libnameauth_sandbox.so, which the module zip carries), then
// as the system's libnameauth_sandbox.so.0 (the .deb and the tarball install it).
package nameauthtest

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct nameauth_sandbox nameauth_sandbox;
typedef struct {
	uint32_t (*start)(bool, const char *, uint64_t, nameauth_sandbox **);
	const char *(*endpoint)(const nameauth_sandbox *);
	const char *(*appid)(void);
	const char *(*src)(void);
	const char *(*key)(void);
	uint64_t (*requests)(const nameauth_sandbox *);
	uint64_t (*hits)(const nameauth_sandbox *, const char *);
	uint32_t (*add_fixture)(const nameauth_sandbox *, const char *, const char *);
	size_t (*last_error)(char *, size_t);
	void (*free)(nameauth_sandbox *);
} sb_api;

// Loads the library at path; NULL and dlerror's text in *err on failure.
static int sb_load(const char *path, sb_api *api, const char **err) {
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) { *err = dlerror(); return 0; }
#define SYM(f, name) if ((*(void **)&api->f = dlsym(h, name)) == NULL) { *err = dlerror(); return 0; }
	SYM(start, "nameauth_sandbox_start");
	SYM(endpoint, "nameauth_sandbox_endpoint");
	SYM(appid, "nameauth_sandbox_appid");
	SYM(src, "nameauth_sandbox_src");
	SYM(key, "nameauth_sandbox_key");
	SYM(requests, "nameauth_sandbox_requests");
	SYM(hits, "nameauth_sandbox_hits");
	SYM(add_fixture, "nameauth_sandbox_add_fixture");
	SYM(last_error, "nameauth_sandbox_last_error");
	SYM(free, "nameauth_sandbox_free");
#undef SYM
	return 1;
}

static uint32_t sb_start(sb_api *a, nameauth_sandbox **out) { return a->start(false, NULL, 0, out); }
static const char *sb_endpoint(sb_api *a, nameauth_sandbox *s) { return a->endpoint(s); }
static const char *sb_appid(sb_api *a) { return a->appid(); }
static const char *sb_src(sb_api *a) { return a->src(); }
static const char *sb_key(sb_api *a) { return a->key(); }
static uint64_t sb_requests(sb_api *a, nameauth_sandbox *s) { return a->requests(s); }
static uint64_t sb_hits(sb_api *a, nameauth_sandbox *s, const char *o) { return a->hits(s, o); }
static uint32_t sb_add_fixture(sb_api *a, nameauth_sandbox *s, const char *o, const char *j) {
	return a->add_fixture(s, o, j);
}
static size_t sb_last_error(sb_api *a, char *b, size_t n) { return a->last_error(b, n); }
static void sb_free(sb_api *a, nameauth_sandbox *s) { a->free(s); }
*/
import "C"

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// Sandbox is a running sandbox. URL is its endpoint (http:// on loopback); AppID, Src and
// Key are the credentials it accepts (public on purpose: they protect nothing).
type Sandbox struct {
	URL, AppID, Src, Key string

	mu sync.Mutex
	sb *C.nameauth_sandbox
}

var (
	loadOnce sync.Once
	api      C.sb_api
	loadErr  string
)

// candidates are the places the library is looked for, in order.
func candidates() []string {
	var out []string
	if p := os.Getenv("NAMEAUTH_SANDBOX_LIBRARY"); p != "" {
		out = append(out, p)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		out = append(out, filepath.Join(filepath.Dir(file), "..", "lib", runtime.GOOS+"_"+runtime.GOARCH,
			"libnameauth_sandbox.so"))
	}
	return append(out, "libnameauth_sandbox.so.0")
}

func load() {
	var tried []string
	for _, p := range candidates() {
		cp := C.CString(p)
		var cerr *C.char
		ok := C.sb_load(cp, &api, &cerr)
		C.free(unsafe.Pointer(cp))
		if ok == 1 {
			return
		}
		tried = append(tried, C.GoString(cerr))
	}
	loadErr = "libnameauth_sandbox not found (set NAMEAUTH_SANDBOX_LIBRARY): " + strings.Join(tried, "; ")
}

// NewSandbox starts a sandbox with the default fixtures (docs/SPEC.md §7: oZhangSan 张三
// 110101199003074477, oSlow, oFlaky, ...) on an ephemeral loopback port; t.Cleanup stops it.
func NewSandbox(t testing.TB) *Sandbox {
	t.Helper()
	loadOnce.Do(load)
	if loadErr != "" {
		t.Fatal("nameauthtest: " + loadErr)
	}
	s := &Sandbox{}
	if r := C.sb_start(&api, &s.sb); r != 0 {
		var buf [512]C.char
		C.sb_last_error(&api, &buf[0], C.size_t(len(buf)))
		t.Fatalf("nameauthtest: the sandbox did not start: %s", C.GoString(&buf[0]))
	}
	s.URL = C.GoString(C.sb_endpoint(&api, s.sb))
	s.AppID = C.GoString(C.sb_appid(&api))
	s.Src = C.GoString(C.sb_src(&api))
	s.Key = C.GoString(C.sb_key(&api))
	t.Cleanup(s.Close)
	return s
}

// Requests is how many nameauth requests the sandbox received.
func (s *Sandbox) Requests() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sb == nil {
		return 0
	}
	return uint64(C.sb_requests(&api, s.sb))
}

// Hits is how many requests the sandbox received for openid.
func (s *Sandbox) Hits(openid string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sb == nil {
		return 0
	}
	co := C.CString(openid)
	defer C.free(unsafe.Pointer(co))
	return uint64(C.sb_hits(&api, s.sb, co))
}

// AddFixture adds or replaces the record of openid, as JSON in the sandbox's fixtures
// format (`{"status": 1, "truename": "张三", "creid": "..."}`).
func (s *Sandbox) AddFixture(t testing.TB, openid, recordJSON string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	co, cj := C.CString(openid), C.CString(recordJSON)
	defer C.free(unsafe.Pointer(co))
	defer C.free(unsafe.Pointer(cj))
	if C.sb_add_fixture(&api, s.sb, co, cj) != 0 {
		var buf [512]C.char
		C.sb_last_error(&api, &buf[0], C.size_t(len(buf)))
		t.Fatalf("nameauthtest: fixture %q: %s", openid, C.GoString(&buf[0]))
	}
}

// Close stops the sandbox; calling it again does nothing.
func (s *Sandbox) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sb != nil {
		C.sb_free(&api, s.sb)
		s.sb = nil
	}
}

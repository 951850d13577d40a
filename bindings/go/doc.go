// Package nameauth checks a user's real name and resident ID number with WeChat Pay's
// real-name interface (微信支付实名信息验证, nameautheasy), through the one Rust core that
// every nameauth front end shares (the C ABI, over cgo).
//
//	c, err := nameauth.New(appid, src, key, nameauth.WithTimeout(5*time.Second))
//	if err != nil { ... }
//	defer c.Close()
//	v, err := c.Verify(ctx, "oZhangSan", "张三", "110101199003074477")
//	if errors.Is(err, nameauth.ErrTimeout) { ... }
//	if v.Passed() { ... }
//
// The module path is github.com/nameauth/nameauth/bindings/go; the package name is
// nameauth.
//
// Linking: on linux/amd64 the module carries the glibc-2.17 static archive of the library
// (lib/linux_amd64/libnameauth.a) and links it by default, so `go get` needs no Rust. The
// build tag `dynamic` links the system library through `pkg-config nameauth` instead (the
// .deb and the tarball ship nameauth.pc); other platforms always use pkg-config. A build
// with CGO_ENABLED=0 compiles, and every call returns an *Error of kind invalid_config
// saying cgo is needed.
//
// A Client is safe for concurrent use by any number of goroutines; they share its
// keep-alive connections. The key never appears in an error, a log line or the output of
// fmt's verbs; names and ID numbers only masked.
package nameauth

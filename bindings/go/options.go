package nameauth

import (
	"log/slog"
	"strconv"
	"time"
)

// SignCase is the case of the hex digits of a signature.
type SignCase int

// The two cases; lower is the default and what WeChat Pay documents.
const (
	SignCaseLower SignCase = iota
	SignCaseUpper
)

// String returns "lower" or "upper", the names of the sign_case option.
func (s SignCase) String() string {
	if s == SignCaseUpper {
		return "upper"
	}
	if s == SignCaseLower {
		return "lower"
	}
	return "SignCase(" + strconv.Itoa(int(s)) + ")"
}

// Option configures a Client (New); one per option of the configuration table
// (src/config.rs, docs), same stems, durations as time.Duration.
type Option func(*config)

// config is what the options say, as the option names and string values the core parses
// (so every range check and error message is the core's), plus the Go-side logger.
type config struct {
	set    []setting
	logger *slog.Logger
}

type setting struct{ name, value string }

func (c *config) add(name, value string) { c.set = append(c.set, setting{name, value}) }

// millis is d in whole milliseconds, rounded up so that a positive duration never becomes
// 0; zero and negative durations pass through for the core to refuse, naming the option.
func millis(d time.Duration) string {
	ms := d / time.Millisecond
	if d > 0 && d%time.Millisecond != 0 {
		ms++
	}
	return strconv.FormatInt(int64(ms), 10)
}

// WithEndpoint sets the URL of the nameautheasy endpoint (default: the real WeChat Pay
// one). Plain http:// is accepted for loopback hosts, or with WithAllowHTTP.
func WithEndpoint(url string) Option { return func(c *config) { c.add("endpoint", url) } }

// WithFallbackEndpoint sets a second endpoint, used when the first cannot be reached.
func WithFallbackEndpoint(url string) Option {
	return func(c *config) { c.add("fallback_endpoint", url) }
}

// WithTimeout bounds the whole call, retries included (timeout_ms; default 10s, from 1ms
// to 24h). A context deadline bounds a call too: whichever ends first.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.add("timeout_ms", millis(d)) } }

// WithConnectTimeout bounds each connection attempt (connect_timeout_ms; default 3s).
func WithConnectTimeout(d time.Duration) Option {
	return func(c *config) { c.add("connect_timeout_ms", millis(d)) }
}

// WithIdleTimeout is how long an unused keep-alive connection is kept (idle_timeout_ms;
// default 7s, at most 10 minutes).
func WithIdleTimeout(d time.Duration) Option {
	return func(c *config) { c.add("idle_timeout_ms", millis(d)) }
}

// WithSignCase chooses the case of the signature's hex digits (sign_case; default lower).
func WithSignCase(s SignCase) Option { return func(c *config) { c.add("sign_case", s.String()) } }

// WithRetries sets how many times a request that certainly did not reach the server is
// tried again (retries; default 2, 0 to 10).
func WithRetries(n int) Option { return func(c *config) { c.add("retries", strconv.Itoa(n)) } }

// WithProxy sends requests through an HTTP proxy, http://[user:password@]host:port.
func WithProxy(url string) Option { return func(c *config) { c.add("proxy", url) } }

// WithCAFile adds the root certificates of a PEM file (ca_file).
func WithCAFile(path string) Option { return func(c *config) { c.add("ca_file", path) } }

// WithIDRules turns the local check of docs/SPEC.md §3's resident-ID rules on or off
// (id_rules; default on).
func WithIDRules(on bool) Option {
	return func(c *config) { c.add("id_rules", strconv.FormatBool(on)) }
}

// WithAllowHTTP allows plain http:// to a non-loopback host or through a proxy
// (allow_http; default off).
func WithAllowHTTP(on bool) Option {
	return func(c *config) { c.add("allow_http", strconv.FormatBool(on)) }
}

// WithLogger sends the client's events to l: one masked line per call (level Info) and per
// retry or failover (Warn), never the key, a name or an ID number in clear. Nil (the
// default) logs nothing. A handler that panics takes neither the verdict nor the error:
// the call's remaining lines are dropped and one line goes to the standard log package.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// VerifyOption configures one Verify call.
type VerifyOption func(*verifyConfig)

type verifyConfig struct{ cretype string }

// WithCretype sets the document type (default "1", ResidentIDCard).
func WithCretype(cretype string) VerifyOption {
	return func(v *verifyConfig) { v.cretype = cretype }
}

// ResidentIDCard is the document type of a resident ID card, the default cretype.
const ResidentIDCard = "1"

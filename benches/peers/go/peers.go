// bench-peers, Go: nameauth's Go front end (cgo over the static archive) against the client
// a Go shop writes by hand (a kept-alive net/http.Client, crypto/md5, encoding/json, the
// verdict table as a switch). Run by tools/bench_peers.py, which starts the sandbox and
// reads the JSON lines printed here.
//
//	peers steady CALLS ROUNDS   CPU per verify of each, in ROUNDS interleaved blocks
//	peers first IMPL            one verify in this fresh process (IMPL: nameauth, nethttp)
//	peers memory IMPL N         N clients, each after one verify, kept alive: the growth of
//	                            the process's resident memory per client, in KiB
//
// CPU is this process's (getrusage: user + system, every thread, the GC's included).
package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"

	nameauth "github.com/nameauth/nameauth/bindings/go"
)

var start = time.Now()

const (
	openid   = "oZhangSan"
	truename = "张三"
	creid    = "110101199003074477"
)

var endpoint, appid, src, key string

func need(name string) string {
	v := os.Getenv(name)
	if v == "" {
		fmt.Fprintf(os.Stderr, "peers: %s is not set (run through tools/bench_peers.py)\n", name)
		os.Exit(2)
	}
	return v
}

func cpuMicros() float64 {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return float64(u.Utime.Sec+u.Stime.Sec)*1e6 + float64(u.Utime.Usec+u.Stime.Usec)
}

// ---- the hand-written peer ----

var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
	MaxIdleConnsPerHost: 4, IdleConnTimeout: 7 * time.Second,
}}

// str is a field of the server's JSON as text (it sends numbers or strings).
func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// httpVerify signs, encodes, GETs, parses and maps, as nameauth does; the verdict code.
func httpVerify(ctx context.Context) string {
	sum := md5.Sum([]byte("appid=" + appid + "&creid=" + creid + "&cretype=1&openid=" + openid +
		"&src=" + src + "&truename=" + truename + "&key=" + key))
	q := url.Values{}
	for k, v := range map[string]string{"appid": appid, "creid": creid, "cretype": "1", "openid": openid,
		"sign": hex.EncodeToString(sum[:]), "src": src, "truename": truename, "type": "json"} {
		q.Set(k, v)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return "!"
	}
	resp, err := client.Do(req)
	if err != nil {
		return "!"
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil || resp.StatusCode != http.StatusOK {
		return "!"
	}
	var a map[string]any
	if json.Unmarshal(body, &a) != nil {
		return "!"
	}
	if str(a, "error_code") != "0" {
		return "Other"
	}
	switch str(a, "nameauth_status") {
	case "1":
		switch str(a, "notmatch_param") {
		case "":
			return "A"
		case "1":
			return "B"
		case "2":
			return "C"
		}
		return "D"
	case "2":
		return "E"
	case "3", "4", "5":
		return "F"
	}
	return "Other"
}

// ---- nameauth ----

func newNameauth() *nameauth.Client {
	c, err := nameauth.New(appid, src, key, nameauth.WithEndpoint(endpoint))
	if err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		os.Exit(1)
	}
	return c
}

func nameauthVerify(ctx context.Context, c *nameauth.Client) string {
	v, err := c.Verify(ctx, openid, truename, creid)
	if err != nil {
		return "!"
	}
	return v.Code
}

func steady(calls, rounds int) int {
	ctx := context.Background()
	c := newNameauth()
	defer c.Close()
	for i := 0; i < 200; i++ { // warm both up: connections, caches
		if theirs, ours := httpVerify(ctx), nameauthVerify(ctx, c); theirs != "A" || ours != "A" {
			fmt.Fprintf(os.Stderr, "peers: a warm-up verify gave %s (net/http) and %s (nameauth)\n", theirs, ours)
			return 1
		}
	}
	block := calls / rounds
	ours, theirs := make([]float64, rounds), make([]float64, rounds)
	for r := 0; r < rounds; r++ {
		for turn := 0; turn < 2; turn++ {
			nameauthNow := (turn == 0) == (r%2 == 0)
			t0 := cpuMicros()
			for i := 0; i < block; i++ {
				var code string
				if nameauthNow {
					code = nameauthVerify(ctx, c)
				} else {
					code = httpVerify(ctx)
				}
				if code != "A" {
					fmt.Fprintf(os.Stderr, "peers: verify gave %s\n", code)
					return 1
				}
			}
			per := (cpuMicros() - t0) / float64(block)
			if nameauthNow {
				ours[r] = per
			} else {
				theirs[r] = per
			}
		}
	}
	for _, x := range []struct {
		name string
		v    []float64
	}{{"nameauth", ours}, {"nethttp", theirs}} {
		b, _ := json.Marshal(map[string]any{"impl": x.name, "cpu_us": x.v})
		fmt.Println(string(b))
	}
	return 0
}

// rssKiB is the process's resident set (/proc/self/statm), in KiB.
func rssKiB() float64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, resident int64
	fmt.Sscan(string(b), &size, &resident)
	return float64(resident * int64(os.Getpagesize()) / 1024)
}

// memory keeps n clients of impl, each after one verify (so each holds what a used client
// holds: a pool, a kept-alive connection), and prints the resident growth per client.
func memory(impl string, n int) int {
	ctx := context.Background()
	if httpVerify(ctx) != "A" { // the process's one-time set-up, counted for neither
		return 1
	}
	c0 := newNameauth()
	defer c0.Close()
	if nameauthVerify(ctx, c0) != "A" {
		return 1
	}
	runtime.GC()
	before := rssKiB()
	keep := make([]any, 0, n)
	for i := 0; i < n; i++ {
		var code string
		if impl == "nameauth" {
			c := newNameauth()
			code = nameauthVerify(ctx, c)
			keep = append(keep, c)
		} else {
			// What a shop writes per client: its own http.Client and Transport.
			client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
				MaxIdleConnsPerHost: 4, IdleConnTimeout: 7 * time.Second,
			}}
			code = httpVerify(ctx)
			keep = append(keep, client)
		}
		if code != "A" {
			return 1
		}
	}
	runtime.GC()
	b, _ := json.Marshal(map[string]any{"impl": impl, "kib_per_client": (rssKiB() - before) / float64(n)})
	fmt.Println(string(b))
	runtime.KeepAlive(keep)
	return 0
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: peers steady CALLS ROUNDS | first IMPL | memory IMPL N")
		os.Exit(2)
	}
	appid, src, key = need("NAMEAUTH_APPID"), need("NAMEAUTH_SRC"), need("NAMEAUTH_KEY")
	endpoint = need("NAMEAUTH_ENDPOINT")
	switch {
	case os.Args[1] == "first":
		var code string
		if os.Args[2] == "nameauth" {
			c := newNameauth()
			code = nameauthVerify(context.Background(), c)
			c.Close()
		} else {
			code = httpVerify(context.Background())
		}
		b, _ := json.Marshal(map[string]any{"impl": os.Args[2],
			"first_ms": float64(time.Since(start).Microseconds()) / 1e3})
		fmt.Println(string(b))
		if code != "A" {
			os.Exit(1)
		}
	case os.Args[1] == "memory" && len(os.Args) >= 4:
		n, _ := strconv.Atoi(os.Args[3])
		os.Exit(memory(os.Args[2], n))
	case os.Args[1] == "steady" && len(os.Args) >= 4:
		calls, _ := strconv.Atoi(os.Args[2])
		rounds, _ := strconv.Atoi(os.Args[3])
		os.Exit(steady(calls, rounds))
	default:
		fmt.Fprintln(os.Stderr, "peers: unknown mode", os.Args[1])
		os.Exit(2)
	}
}

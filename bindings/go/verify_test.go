//go:build cgo

package nameauth

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestVerifyReturnsTheSandboxVerdicts(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	v, err := c.Verify(ctx, zsOpenID, zsName, zsID)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.Code != "A" || !v.Passed() || v.IsConfigProblem() || v.Reason == "" || v.MessageEn == "" || v.MessageZh == "" {
		t.Fatalf("verdict for 张三: %#v", v)
	}
	v, err = c.Verify(ctx, zsOpenID, "李四", zsID)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.Code != "B" || v.Passed() || v.NotmatchParam != "1" || v.Reason != "name_mismatch" {
		t.Fatalf("verdict for a wrong name: %#v", v)
	}
	if strings.Contains(v.String(), v.NameMask) && v.NameMask != "" {
		t.Fatalf("String() shows name_mask: %s", v)
	}
}

func TestVerdictJSONIsTheConformanceLine(t *testing.T) {
	c := newTestClient(t)
	v, err := c.Verify(context.Background(), zsOpenID, "李四", zsID)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	b, err := json.Marshal(v)
	want := `{"code":"B","reason":"name_mismatch","error_code":0,"nameauth_status":"1",` +
		`"notmatch_param":"1","name_mask":"*三"}`
	if err != nil || string(b) != want {
		t.Fatalf("json.Marshal(verdict) = %s, %v; want %s", b, err, want)
	}
}

func TestBadInputNamesFieldAndRuleAndSendsNothing(t *testing.T) {
	c := newTestClient(t)
	before := sandboxStats(t).Requests
	_, err := c.Verify(context.Background(), zsOpenID, zsName, "110101199003074478")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if e.Kind != KindInvalidInput || e.Field != "creid" || e.Rule != "id_check_character" {
		t.Fatalf("error: %#v", e)
	}
	if !errors.Is(err, ErrInvalidInput) || errors.Is(err, ErrTimeout) {
		t.Fatalf("errors.Is with the sentinels: %v", err)
	}
	// A NUL that C would silently cut at ("张\x00三" sent as "张") is refused in Go, and
	// so is invalid UTF-8, naming the field, in every field.
	for _, bad := range []struct{ text, rule string }{{"\x00", "control_character"}, {"\xff", "invalid_utf8"}} {
		for field, a := range map[string][4]string{
			"openid":   {zsOpenID + bad.text, zsName, zsID, ResidentIDCard},
			"truename": {zsOpenID, "张" + bad.text + "三", zsID, ResidentIDCard},
			"creid":    {zsOpenID, zsName, zsID[:6] + bad.text + zsID[6:], ResidentIDCard},
			"cretype":  {zsOpenID, zsName, zsID, ResidentIDCard + bad.text},
		} {
			_, err = c.Verify(context.Background(), a[0], a[1], a[2], WithCretype(a[3]))
			if !errors.As(err, &e) || e.Kind != KindInvalidInput || e.Field != field || e.Rule != bad.rule {
				t.Fatalf("%s with %q: %#v", field, bad.text, err)
			}
		}
	}
	if after := sandboxStats(t).Requests; after != before {
		t.Fatalf("refused inputs reached the sandbox: %d requests, was %d", after, before)
	}
}

func TestOptionsReachTheCore(t *testing.T) {
	_, err := New("wxsandbox00000001", "sandbox", "k", WithTimeout(0))
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInvalidConfig || e.Field != "timeout_ms" {
		t.Fatalf("WithTimeout(0): %#v", err)
	}
	if !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("not ErrInvalidConfig: %v", err)
	}
	_, err = New("wxsandbox00000001", "sandbox", "k", WithRetries(11))
	if !errors.As(err, &e) || e.Field != "retries" {
		t.Fatalf("WithRetries(11): %#v", err)
	}
	// With id_rules off, an ID with a wrong check character is sent (the sandbox answers).
	c := newTestClient(t, WithIDRules(false), WithSignCase(SignCaseUpper), WithIdleTimeout(time.Second),
		WithConnectTimeout(time.Second), WithRetries(0), WithAllowHTTP(true))
	_, err = c.Verify(context.Background(), zsOpenID, zsName, "110101199003074478")
	if errors.Is(err, ErrInvalidInput) {
		t.Fatalf("WithIDRules(false) still checked the ID: %v", err)
	}
}

func TestFromEnvReadsTheEnvironment(t *testing.T) {
	c, err := FromEnv()
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	defer c.Close()
	v, err := c.Verify(context.Background(), zsOpenID, zsName, zsID)
	if err != nil || v.Code != "A" {
		t.Fatalf("FromEnv client: %v %v", v, err)
	}
	if _, err := FromEnv(WithTimeout(time.Second)); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("FromEnv with a setting: %v", err)
	}
	t.Setenv("NAMEAUTH_KEY", "")
	os.Unsetenv("NAMEAUTH_KEY")
	_, err = FromEnv()
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInvalidConfig || e.Rule != "missing" ||
		!strings.Contains(e.Message, "NAMEAUTH_KEY") {
		t.Fatalf("FromEnv without a key: %#v", err)
	}
}

func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	c := newTestClient(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(context.Background(), zsOpenID, zsName, zsID); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("verify after close: %v", err)
	}
}

func TestVerifyManyKeepsInputOrder(t *testing.T) {
	c := newTestClient(t)
	var items []Item
	want := make([]string, 0, 40)
	for i := 0; i < 40; i++ {
		switch i % 3 {
		case 0:
			items = append(items, Item{OpenID: zsOpenID, TrueName: zsName, CreID: zsID})
			want = append(want, "A")
		case 1:
			items = append(items, Item{OpenID: zsOpenID, TrueName: "李四", CreID: zsID, CreType: "1"})
			want = append(want, "B")
		default:
			items = append(items, Item{OpenID: zsOpenID, TrueName: zsName, CreID: "bad"})
			want = append(want, "invalid_input")
		}
	}
	for i, r := range c.VerifyMany(context.Background(), items, 8) {
		got := r.Verdict.Code
		if r.Err != nil {
			got = string(asError(r.Err).Kind)
		}
		if got != want[i] {
			t.Fatalf("item %d: got %s, want %s", i, got, want[i])
		}
	}
}

func TestStatsCountCalls(t *testing.T) {
	c := newTestClient(t)
	for i := 0; i < 3; i++ {
		if _, err := c.Verify(context.Background(), zsOpenID, zsName, zsID); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = c.Verify(context.Background(), zsOpenID, zsName, "bad")
	s, err := c.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if s.Calls != 4 || s.Verdicts["A"] != 3 || s.Errors[KindInvalidInput] != 1 || s.Requests != 3 || s.LatencyP50 <= 0 {
		t.Fatalf("stats: %+v", s)
	}
}

func TestSignMatchesEveryKnownVector(t *testing.T) {
	raw, err := os.ReadFile("../../docs/sign-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Params    map[string]string `json:"params"`
		Key       string            `json:"key"`
		SignLower string            `json:"sign_lower"`
		SignUpper string            `json:"sign_upper"`
	}
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors) == 0 {
		t.Fatal("no vectors")
	}
	for i, v := range vectors {
		p := v.Params
		for c, want := range map[SignCase]string{SignCaseLower: v.SignLower, SignCaseUpper: v.SignUpper} {
			got, err := Sign(p["appid"], p["openid"], p["src"], p["truename"], p["creid"], p["cretype"], v.Key, c)
			if err != nil || got != want {
				t.Fatalf("vector %d %v: got %q %v, want %q", i, c, got, err, want)
			}
		}
	}
	_, err = Sign("a", "o", "s", "n", "c", "1", "k", SignCase(7))
	var e *Error
	if !errors.As(err, &e) || e.Field != "sign_case" {
		t.Fatalf("bad sign case: %#v", err)
	}
	_, err = Sign("a", "o", "s", "n", "c", "1", "", SignCaseLower)
	if !errors.As(err, &e) || e.Field != "key" || e.Rule != "empty" {
		t.Fatalf("empty key: %#v", err)
	}
}

func TestValidateIDNamesTheRule(t *testing.T) {
	if err := ValidateID(zsID); err != nil {
		t.Fatal(err)
	}
	var e *Error
	if err := ValidateID("110101199003074478"); !errors.As(err, &e) || e.Rule != "id_check_character" || e.Field != "creid" {
		t.Fatalf("ValidateID: %#v", err)
	}
}

// VerifyMany with a context already done: every item ends cancelled, in order, and
// nothing reaches the sandbox.
func TestVerifyManyWithADoneContextSendsNothing(t *testing.T) {
	c := newTestClient(t)
	before := sandboxStats(t).Requests
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	items := make([]Item, 10)
	for i := range items {
		items[i] = Item{OpenID: zsOpenID, TrueName: zsName, CreID: zsID}
	}
	results := c.VerifyMany(ctx, items, 3)
	if len(results) != len(items) {
		t.Fatalf("%d results for %d items", len(results), len(items))
	}
	for i, r := range results {
		if !errors.Is(r.Err, ErrCancelled) || !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("item %d: %v", i, r.Err)
		}
	}
	if after := sandboxStats(t).Requests; after != before {
		t.Fatalf("cancelled items reached the sandbox: %d -> %d", before, after)
	}
}

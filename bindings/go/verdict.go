package nameauth

import "fmt"

// Verdict is what the server answered, mapped to docs/SPEC.md §5's table: the same fields
// as every nameauth front end. A Verdict is a value; it holds no name or ID number (the
// server's NameMask is masked by the server).
//
// encoding/json writes a Verdict as docs/CONFORMANCE.md's line, code to name_mask in that
// order, as every front end's JSON form does; the texts, which follow from Reason, stay out.
type Verdict struct {
	// Code is "A" … "F" or "Other".
	Code string `json:"code"`
	// Reason is the reason id of docs/SPEC.md §5, e.g. "name_mismatch".
	Reason string `json:"reason"`
	// ErrorCode is the server's error_code (0 when the query ran).
	ErrorCode int64 `json:"error_code"`
	// NameauthStatus is the server's nameauth_status, "" when absent.
	NameauthStatus string `json:"nameauth_status"`
	// NotmatchParam is the server's notmatch_param normalised to "1", "2" or "1|2", ""
	// when absent.
	NotmatchParam string `json:"notmatch_param"`
	// NameMask is the server's name_mask (masked by the server), "" when absent.
	NameMask string `json:"name_mask"`
	// MessageZh and MessageEn say what the code means; AdviceZh and AdviceEn what the
	// merchant should do.
	MessageZh string `json:"-"`
	MessageEn string `json:"-"`
	AdviceZh  string `json:"-"`
	AdviceEn  string `json:"-"`

	passed        bool
	configProblem bool
}

// Passed is true only for code A (verified).
func (v Verdict) Passed() bool { return v.passed }

// IsConfigProblem is true for error codes 1000, 1001, 1002 and 1007: the merchant's
// request or configuration is wrong (empty parameter, src, signature, IP allow-list);
// never retry these.
func (v Verdict) IsConfigProblem() bool { return v.configProblem }

// String is one line for logs, without NameMask.
func (v Verdict) String() string {
	return fmt.Sprintf("%s (%s) error_code=%d nameauth_status=%q notmatch_param=%q",
		v.Code, v.Reason, v.ErrorCode, v.NameauthStatus, v.NotmatchParam)
}

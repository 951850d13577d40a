// Command verify checks one user with nameauth and prints one JSON line
// (docs/CONFORMANCE.md):
//
//	NAMEAUTH_APPID=... NAMEAUTH_SRC=... NAMEAUTH_KEY=... verify OPENID TRUENAME CREID [CRETYPE]
//
// Exit status 0 when the server answered (any verdict), 2 on any error.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"

	nameauth "github.com/nameauth/nameauth/bindings/go"
)

type errorLine struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// emit prints v as one line of JSON, UTF-8 as is, and exits with status.
func emit(v any, status int) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	os.Stdout.Write(b.Bytes())
	os.Exit(status)
}

func main() {
	args := os.Args[1:]
	if len(args) < 3 || len(args) > 4 {
		emit(errorLine{"invalid_input", "usage: verify OPENID TRUENAME CREID [CRETYPE]"}, 2)
	}
	cretype := nameauth.ResidentIDCard
	if len(args) == 4 {
		cretype = args[3]
	}
	// NAMEAUTH_APPID, _SRC, _KEY and one variable per option (_ENDPOINT, _TIMEOUT_MS, ...).
	client, err := nameauth.FromEnv()
	var v nameauth.Verdict
	if err == nil {
		v, err = client.Verify(context.Background(), args[0], args[1], args[2], nameauth.WithCretype(cretype))
		client.Close()
	}
	var e *nameauth.Error
	if errors.As(err, &e) {
		emit(errorLine{string(e.Kind), e.Message}, 2)
	} else if err != nil {
		emit(errorLine{"internal", err.Error()}, 2)
	}
	// A Verdict's JSON form is CONFORMANCE.md's line.
	emit(v, 0)
}

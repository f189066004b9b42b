package oauth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const (
	secretAccess  = "eyJhbGciOiJFUzI1NiJ9.acctok_SECRET"
	secretRefresh = "eyJhbGciOiJFUzI1NiJ9.reftok_SECRET"
)

func sampleToken() *Token {
	return &Token{
		AccessToken:  secretAccess,
		RefreshToken: secretRefresh,
		Expiry:       time.Date(2026, 8, 22, 10, 0, 0, 0, time.UTC),
		UserID:       "user_00009238aMBIIrS5Rdncq9",
		ClientID:     "oauth2client_00009abc",
		Scope:        "third_party_developer_app.pre_verification",
		TokenType:    "Bearer",
	}
}

func assertNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, "SECRET") {
		t.Errorf("%s leaks a token: %s", what, s)
	}
}

func TestTokenRedactedInFmt(t *testing.T) {
	tok := sampleToken()
	type wrapper struct {
		Tok  Token
		PTok *Token
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for name, v := range map[string]any{"value": *tok, "pointer": tok, "nested": wrapper{*tok, tok}, "slice": []*Token{tok}} {
			out := fmt.Sprintf(verb, v)
			assertNoSecrets(t, verb+" of "+name, out)
		}
	}
	out := fmt.Sprint(tok) + fmt.Sprintln(*tok) + tok.String()
	assertNoSecrets(t, "Sprint", out)
	for _, want := range []string{"[redacted]", tok.UserID, "2026-08-22T10:00:00Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("String() = %s, want it to show %s", tok, want)
		}
	}
	if s := BareToken(secretAccess).String(); !strings.Contains(s, "RefreshToken: none") || !strings.Contains(s, "Expiry: unknown") {
		t.Errorf("bare token String() = %s", s)
	}
}

func TestTokenRedactedInSlog(t *testing.T) {
	tok := sampleToken()
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		l := slog.New(h(&buf))
		l.Info("token", "tok", tok, "val", *tok, slog.Any("any", tok))
		assertNoSecrets(t, name+" slog", buf.String())
		if !strings.Contains(buf.String(), tok.UserID) {
			t.Errorf("%s slog lost the metadata: %s", name, buf.String())
		}
	}
}

func TestTokenJSONKeepsSecretsWithStableNames(t *testing.T) {
	tok := sampleToken()
	data, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"access_token":  secretAccess,
		"refresh_token": secretRefresh,
		"expiry":        "2026-08-22T10:00:00Z",
		"user_id":       tok.UserID,
		"client_id":     tok.ClientID,
		"scope":         tok.Scope,
		"token_type":    "Bearer",
	}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("JSON = %s\nwant %v", data, want)
	}
	var back Token
	if err := json.Unmarshal(data, &back); err != nil || back != *tok {
		t.Errorf("round trip: %v, %v", back.AccessToken == tok.AccessToken, err)
	}
	bare, _ := json.Marshal(BareToken("abc"))
	if string(bare) != `{"access_token":"abc","token_type":"Bearer"}` {
		t.Errorf("bare token JSON = %s", bare)
	}
}

func TestTokenValidity(t *testing.T) {
	tok := sampleToken()
	before, at := tok.Expiry.Add(-time.Second), tok.Expiry
	if !tok.Valid(before) || tok.Expired(before) {
		t.Error("token should be valid a second before expiry")
	}
	if tok.Valid(at) || !tok.Expired(at) {
		t.Error("token should be expired at its expiry")
	}
	if !tok.expiresWithin(before, time.Minute) || tok.expiresWithin(before.Add(-2*time.Minute), time.Minute) {
		t.Error("expiresWithin is wrong")
	}
	bare := BareToken("x")
	far := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !bare.Valid(far) || bare.Expired(far) || bare.CanRefresh() || bare.expiresWithin(far, time.Hour) {
		t.Error("a bare token has an unknown expiry and cannot refresh")
	}
	var none *Token
	if none.Valid(far) || none.CanRefresh() || (&Token{}).Valid(far) {
		t.Error("nil and empty tokens are not valid")
	}
	if !tok.CanRefresh() {
		t.Error("CanRefresh should be true")
	}
}

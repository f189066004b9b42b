package main

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestPrintsAuthorizationURL(t *testing.T) {
	env := map[string]string{"MONZO_CLIENT_ID": "oauth2client_0000abc", "MONZO_AUTH_URL": "http://127.0.0.1:9/"}
	var out bytes.Buffer
	if err := run(func(k string) string { return env[k] }, &out); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`http://\S+`).FindString(out.String())
	u, err := url.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("client_id") != "oauth2client_0000abc" || q.Get("redirect_uri") != "http://127.0.0.1/monzo" || q.Get("response_type") != "code" {
		t.Errorf("query = %v", q)
	}
	if state := q.Get("state"); len(state) < 22 || !strings.Contains(out.String(), "MONZO_STATE="+state) {
		t.Errorf("state %q missing or not offered for step 2:\n%s", state, out.String())
	}
}

func TestNeedsClientID(t *testing.T) {
	err := run(func(string) string { return "" }, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "MONZO_CLIENT_ID") {
		t.Fatalf("err = %v, want a hint naming MONZO_CLIENT_ID", err)
	}
}

package main

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func runWith(env map[string]string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestPrintsAuthorizationURL(t *testing.T) {
	env := map[string]string{"MONZO_CLIENT_ID": "oauth2client_0000abc", "MONZO_AUTH_URL": "http://127.0.0.1:9/"}
	code, out, errOut := runWith(env)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	line := regexp.MustCompile(`http://\S+`).FindString(out)
	u, err := url.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("client_id") != "oauth2client_0000abc" || q.Get("redirect_uri") != "http://127.0.0.1:8789/callback" || q.Get("response_type") != "code" {
		t.Errorf("query = %v", q)
	}
	if state := q.Get("state"); len(state) < 22 || !strings.Contains(out, "MONZO_STATE="+state) {
		t.Errorf("state %q missing or not offered for step 2:\n%s", state, out)
	}
}

func TestNeedsClientID(t *testing.T) {
	code, out, errOut := runWith(nil)
	if code != 1 || out != "" || !strings.Contains(errOut, "MONZO_CLIENT_ID") || !strings.HasPrefix(errOut, "auth_step_01: ") {
		t.Fatalf("exit %d, stdout %q, stderr %q: want the error, naming MONZO_CLIENT_ID, on stderr only", code, out, errOut)
	}
}

func TestUsage(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		code, out, errOut := runWith(nil, arg)
		if code != 0 || errOut != "" {
			t.Errorf("%s: exit %d, stderr %q; want 0 and the usage on stdout only", arg, code, errOut)
		}
		for _, v := range []string{"MONZO_CLIENT_ID", "MONZO_REDIRECT_URL", "MONZO_AUTH_URL", "usage:"} {
			if !strings.Contains(out, v) {
				t.Errorf("%s: usage lacks %s:\n%s", arg, v, out)
			}
		}
	}
	code, out, errOut := runWith(nil, "-nonsense")
	if code != 2 || out != "" || !strings.Contains(errOut, "usage:") {
		t.Errorf("bad flag: exit %d, stdout %q, stderr %q; want 2 and the usage on stderr", code, out, errOut)
	}
}

package weburl

import (
	"errors"
	"net/url"
	"strings"
	"syscall"
	"testing"
)

func TestParseAbsolute(t *testing.T) {
	for _, tc := range []struct {
		raw string
		ok  bool
	}{
		{"https://api.monzo.com", true},
		{"http://127.0.0.1:8080/api", true},
		{"ftp://example.com", false},
		{"/relative/path", false},
		{"example.com", false},
		{"https://", false},
		{"http://[::1", false},
		{"", false},
	} {
		_, err := ParseAbsolute(tc.raw)
		if (err == nil) != tc.ok || Valid(tc.raw) != tc.ok {
			t.Errorf("ParseAbsolute(%q) err = %v, want ok=%v", tc.raw, err, tc.ok)
		}
	}
	if _, err := ParseAbsolute("ftp://h/?token=s3cret"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %v repeats the query", err)
	}
}

func TestRedactQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"https://h/p?token=s3cret&b=2":      "https://h/p?b=[redacted]&token=[redacted]",
		"https://h/p":                       "https://h/p",
		"https://u:pw@h/p":                  "https://u:[redacted]@h/p",
		"https://h/p?X-Amz-Signature=abc#f": "https://h/p?X-Amz-Signature=[redacted]",
		"http://[::1?token=s3cret":          "http://[::1?[redacted]",
	} {
		if got := RedactQuery(raw); got != want {
			t.Errorf("RedactQuery(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := WithoutQuery("https://h/p?x=1#f"); got != "https://h/p" {
		t.Errorf("WithoutQuery = %q", got)
	}
}

func TestRedactErrorKeepsTheCause(t *testing.T) {
	err := RedactError(&url.Error{Op: "Get", URL: "https://h/p?sig=s3cret", Err: syscall.ECONNREFUSED})
	if strings.Contains(err.Error(), "s3cret") || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("RedactError = %v", err)
	}
}

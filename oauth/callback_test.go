package oauth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseCallback(t *testing.T) {
	for _, in := range []string{
		"http://127.0.0.1/monzo?code=c0de%2B1&state=st4te",
		"  http://127.0.0.1/monzo?state=st4te&code=c0de%2B1#frag ",
		"?code=c0de%2B1&state=st4te",
		"code=c0de%2B1&state=st4te",
	} {
		cb, err := ParseCallback(in)
		if err != nil {
			t.Fatalf("ParseCallback(%q): %v", in, err)
		}
		if cb.Code != "c0de+1" || cb.State != "st4te" {
			t.Errorf("ParseCallback(%q) = %+v", in, cb)
		}
		if out := fmt.Sprintf("%v %+v %#v %s", cb, cb, cb, &cb); strings.Contains(out, "c0de") {
			t.Errorf("Callback.String leaks the code: %s", cb)
		}
	}
}

func TestParseCallbackErrors(t *testing.T) {
	_, err := ParseCallback("http://127.0.0.1/monzo?error=access_denied&error_description=The+user+said+no&state=s")
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	var ae *AuthorizationError
	if !errors.As(err, &ae) || ae.Description != "The user said no" {
		t.Fatalf("err = %#v, want an AuthorizationError with the description", err)
	}
	if !strings.Contains(err.Error(), "The user said no") {
		t.Errorf("message %q lacks the description", err)
	}

	_, err = ParseCallback("http://127.0.0.1/monzo?error=server_error")
	if errors.Is(err, ErrAccessDenied) || !errors.As(err, &ae) || ae.Code != "server_error" {
		t.Errorf("server_error: got %v", err)
	}

	for _, in := range []string{"http://127.0.0.1/monzo", "http://127.0.0.1/monzo?state=s", ""} {
		if _, err := ParseCallback(in); !errors.Is(err, ErrMissingCode) {
			t.Errorf("ParseCallback(%q) = %v, want ErrMissingCode", in, err)
		}
	}

	_, err = ParseCallback("http://x/?code=secretcode%zz")
	if err == nil || strings.Contains(err.Error(), "secretcode") {
		t.Errorf("malformed query: err = %v (must fail without quoting the code)", err)
	}
}

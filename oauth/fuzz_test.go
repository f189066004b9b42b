package oauth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseCallback feeds arbitrary redirect URLs and query strings to
// ParseCallback: it never panics, never puts the authorization code in an
// error or in the Callback's printed forms, and returns what the query
// says. Seeds are in testdata/fuzz/FuzzParseCallback.
func FuzzParseCallback(f *testing.F) {
	for _, s := range []string{
		"http://127.0.0.1:8080/callback?code=authcode123&state=st4te",
		"?error=access_denied&error_description=no&state=s",
		"code=c0de%2B1&state=st4te#frag",
		"http://localhost/cb",
		"%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, redirected string) {
		cb, err := ParseCallback(redirected)
		// The code as the query carries it, when it can be read at all. A
		// pasted URL is read without the spaces around it, as ParseCallback
		// documents.
		code := ""
		pasted := strings.TrimSpace(redirected)
		if i := strings.IndexByte(pasted, '?'); i >= 0 {
			if q, perr := url.ParseQuery(strings.SplitN(pasted[i+1:], "#", 2)[0]); perr == nil {
				code = q.Get("code")
			}
		}
		secret := len(code) >= 8 && !strings.Contains(cb.State, code)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "oauth: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			var ae *AuthorizationError
			if secret && !errors.As(err, &ae) && strings.Contains(err.Error(), code) {
				t.Fatalf("error %q quotes the code", err)
			}
			return
		}
		if cb.Code == "" {
			t.Fatal("accepted a callback without a code")
		}
		if code != "" && cb.Code != code {
			t.Fatalf("code %q, the query says %q", cb.Code, code)
		}
		if printed := fmt.Sprintf("%v %+v %#v %s", cb, cb, cb, cb); secret && strings.Contains(printed, code) {
			t.Fatalf("printing the callback shows the code: %s", printed)
		}
	})
}

package monzo_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/monzokit/monzo"
)

// hostTokens is a token source that refreshes at apiBaseURL.
type hostTokens struct{ apiBaseURL string }

func (hostTokens) AccessToken(context.Context) (string, error) { return "t", nil }
func (h hostTokens) APIBaseURL() string                        { return h.apiBaseURL }

// TestNewClientRefusesATokenSourceOfAnotherHost: a token source that
// refreshes at another scheme, host or path than the client's base URL
// would send the refresh token and client secret there: refused. Case in
// scheme and host and a trailing slash do not matter, and a source that
// sends nothing ("") is fine.
func TestNewClientRefusesATokenSourceOfAnotherHost(t *testing.T) {
	const base = "https://api.example.com/v1"
	for _, tc := range []struct {
		source string
		ok     bool
	}{
		{"", true},
		{base, true},
		{"HTTPS://API.Example.com/v1/", true},
		{"http://api.example.com/v1", false},
		{"https://evil.example.com/v1", false},
		{"https://api.example.com/v2", false},
		{"https://api.example.com", false},
		{"https://api.example.com/v1\x7f", false}, // does not parse
	} {
		_, err := monzo.NewClient(monzo.WithBaseURL(base), monzo.WithTokenSource(hostTokens{tc.source}))
		if tc.ok && err != nil {
			t.Errorf("source at %q: %v, want it accepted", tc.source, err)
		}
		if !tc.ok && !errors.Is(err, monzo.ErrInvalidArgument) {
			t.Errorf("source at %q: %v, want ErrInvalidArgument", tc.source, err)
		}
	}
}

// TestAttachmentWithAMistypedFieldIsAnError: decoded on its own (not
// inside a transaction, where it would become a warning), an attachment
// with a value of the wrong type is an error.
func TestAttachmentWithAMistypedFieldIsAnError(t *testing.T) {
	var a monzo.Attachment
	if err := json.Unmarshal([]byte(`{"id":"attach_1","file_url":42}`), &a); err == nil {
		t.Errorf("decoded %+v without an error", a)
	}
	if err := json.Unmarshal([]byte(`{"id":"attach_1","file_url":"https://files.example.com/1"}`), &a); err != nil || a.FileURL == "" {
		t.Errorf("a well-formed attachment: %+v, %v", a, err)
	}
}

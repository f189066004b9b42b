// Package weburl holds the few URL rules every package of this module
// applies the same way: what counts as an absolute http(s) URL, and how a
// URL is shown in messages without the secrets its query string may carry
// (webhook secrets, pre-signed upload signatures, OAuth codes).
//
// It has no wire types, so the emulator may use it without sharing anything
// with the client it is the test oracle for.
package weburl

import (
	"errors"
	"net/url"
	"sort"
	"strings"

	"github.com/monzokit/monzo/internal/redact"
)

// ParseAbsolute parses raw and reports whether it is an absolute http or
// https URL with a host, as API base URLs, webhook targets and upload URLs
// must be. The error never repeats raw's query string.
func ParseAbsolute(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("it does not parse as a URL")
	}
	if !IsAbsolute(u) {
		return nil, errors.New("it is not an absolute http(s) URL")
	}
	return u, nil
}

// IsAbsolute reports whether u is an http or https URL with a host.
func IsAbsolute(u *url.URL) bool {
	return u != nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Valid reports whether raw parses as an absolute http(s) URL.
func Valid(raw string) bool {
	_, err := ParseAbsolute(raw)
	return err == nil
}

// WithoutQuery returns raw without its query string and fragment.
func WithoutQuery(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}

// Redacted is the placeholder shown instead of a secret.
const Redacted = redact.Placeholder

// RedactQuery returns raw with every query value replaced by [Redacted],
// keeping the keys so a reader still sees which parameters were there
// ("https://h/p?token=REDACTED"). Userinfo passwords are redacted too. A
// string that does not parse loses everything after its first '?'.
func RedactQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexByte(raw, '?'); i >= 0 {
			return raw[:i] + "?" + Redacted
		}
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Redacted)
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			u.RawQuery = Redacted
		} else {
			keys := make([]string, 0, len(q))
			for k := range q {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, 0, len(keys))
			for _, k := range keys {
				parts = append(parts, url.QueryEscape(k)+"="+Redacted)
			}
			u.RawQuery = strings.Join(parts, "&")
		}
	}
	u.Fragment, u.RawFragment = "", ""
	// The placeholder's brackets would come out percent-encoded in the
	// userinfo; show them as written everywhere.
	return strings.ReplaceAll(u.String(), url.PathEscape(Redacted), Redacted)
}

// RedactError returns err with the query string redacted from the URL of
// any [*url.Error] it wraps, keeping the cause for [errors.Is] and
// [errors.As]. The http package puts the full request URL in its errors.
func RedactError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return &url.Error{Op: uerr.Op, URL: WithoutQuery(uerr.URL), Err: uerr.Err}
	}
	return err
}

package monzo

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/monzokit/monzo/internal/weburl"
)

// Do sends a request to any API endpoint, for the calls this package has
// no method for yet, and decodes the JSON answer into v. It goes the way
// every other call goes: the client's token (refreshed once if the API
// refuses it as expired), user agent, logging, error decoding and retry
// rules.
//
// method is one of GET, POST, PUT, PATCH and DELETE. path is relative to
// the client's base URL, with or without a leading slash ("ping/whoami",
// "/transactions/tx_123"), its segments already escaped; it may carry a
// query string. A full URL, a path with "." or ".." segments or a fragment
// is refused, so a request can never leave the configured API host.
//
// params are added to the query string of a GET or DELETE and sent as a
// form-encoded body with POST, PUT and PATCH, as the API expects (see
// "Requests" in docs/api-notes.md). Repeat a key for arrays
// ("expand[]").
//
// v receives the decoded JSON body: pass a *json.RawMessage to keep it as
// it came, or nil to discard it. An empty body leaves v untouched.
//
// Only GET is retried after a 429, a 5xx or a network error: this method
// cannot know whether repeating any other request is safe (a POST to /feed
// would post the item twice). The typed methods know, and retry the calls
// that are safe to repeat.
//
// Errors are reported as by every other call; problems with method or path
// match [ErrInvalidArgument] and nothing is sent.
func (c *Client) Do(ctx context.Context, method, path string, params url.Values, v any) error {
	req, err := newRawRequest(method, path, params)
	if err != nil {
		return err
	}
	var out ownedDecoder
	if v != nil {
		out = rawResult{v}
	}
	return c.do(ctx, req, out)
}

// newRawRequest checks a [Client.Do] call and turns it into a request.
func newRawRequest(method, path string, params url.Values) (request, error) {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return request{}, invalidf("Do: method %q: want GET, POST, PUT, PATCH or DELETE", method)
	}
	// Messages show the path without its query string, as every error of
	// this package does: it may hold values the caller did not mean to
	// print.
	shown := weburl.WithoutQuery(path)
	u, err := url.Parse(path)
	switch {
	case err != nil:
		return request{}, invalidf("Do: path %q does not parse as a URL path", shown)
	case u.Scheme != "" || u.Host != "" || u.Opaque != "" || strings.HasPrefix(path, "//"):
		return request{}, invalidf("Do: path %q: give a path relative to the base URL (e.g. /ping/whoami), not a URL", shown)
	case strings.Contains(path, "#"):
		return request{}, invalidf("Do: path %q has a fragment (#…), which is never sent to the server; remove it", shown)
	}
	rel := strings.TrimPrefix(u.EscapedPath(), "/")
	if rel == "" {
		return request{}, invalidf("Do: the path is empty; give the endpoint's path, e.g. /ping/whoami")
	}
	for seg := range strings.SplitSeq(strings.TrimSuffix(rel, "/"), "/") {
		// An escaped dot segment ("%2e%2e") is one too, once the server
		// unescapes it.
		if dec, err := url.PathUnescape(seg); err != nil || dec == "" || dec == "." || dec == ".." {
			return request{}, invalidf("Do: path %q has an empty, \".\" or \"..\" segment; give the endpoint's path as documented", shown)
		}
	}
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return request{}, invalidf("Do: the query string of path %q does not parse", shown)
	}
	req := request{method: method, path: rel, query: query, idempotent: method == http.MethodGet}
	switch method {
	case http.MethodGet, http.MethodDelete:
		for k, vs := range params {
			req.query[k] = append(req.query[k], vs...)
		}
	default:
		// Always a form, even an empty one: the API reads POST, PUT and
		// PATCH bodies as forms.
		req.form = url.Values{}
		for k, vs := range params {
			req.form[k] = append([]string(nil), vs...)
		}
	}
	return req, nil
}

// rawResult decodes a [Client.Do] answer into the caller's value. It lets
// an empty body through, as answers to deletes may have none.
type rawResult struct{ v any }

func (r rawResult) decodeOwned(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return json.Unmarshal(data, r.v)
}

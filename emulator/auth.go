package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// caller identifies who is making an authenticated request. It carries ids,
// not pointers, because the bank looks state up again under its lock.
type caller struct {
	ClientID    string
	UserID      string
	GrantID     string
	AccessToken string
}

// authedHandler is a handler behind requireAuth or requireApproved.
type authedHandler func(w http.ResponseWriter, r *http.Request, c caller)

// requireAuth resolves the bearer token to a caller, answering 401 in
// Monzo's OAuth-flavoured error shape if it is missing, unknown, evicted or
// expired. It counts the request against the caller's client, or against
// failed attempts (ratelimit.go). It does not check SCA approval:
// /ping/whoami and /oauth2/logout work while approval is pending.
func (s *Server) requireAuth(h authedHandler) http.Handler { return s.gate(h, false) }

// requireApproved is requireAuth plus the SCA gate: while the grant awaits
// in-app approval it answers 403 forbidden.insufficient_permissions. Use it
// for every data endpoint.
func (s *Server) requireApproved(h authedHandler) http.Handler { return s.gate(h, true) }

// gate authenticates a request (with the approval check if needApproval)
// under one acquisition of the lock, applies the rate limit, and calls h
// with the caller. Nothing is written while the lock is held.
func (s *Server) gate(h authedHandler, needApproval bool) http.Handler {
	return selfLimiting{http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, apiErr := s.authenticate(r, needApproval)
		if apiErr != nil && apiErr.Status == http.StatusUnauthorized {
			if !s.overLimit(w, failedBucket(r)) {
				writeAPIError(w, apiErr)
			}
			return
		}
		if s.overLimit(w, clientBucket(c.ClientID)) {
			return
		}
		if apiErr != nil {
			writeAPIError(w, apiErr)
			return
		}
		if apiErr := checkParams(r); apiErr != nil {
			writeAPIError(w, apiErr)
			return
		}
		h(w, r, c)
	})}
}

// authenticate resolves the request's bearer token and, if needApproval,
// checks that its grant passed the in-app approval: one lock acquisition.
// A 403 comes back with the caller filled in.
func (s *Server) authenticate(r *http.Request, needApproval bool) (caller, *apiError) {
	token, ok := bearerToken(r)
	if !ok {
		return caller{}, tokenError("unauthorized.bad_access_token",
			"No access token: send an 'Authorization: Bearer <access_token>' header")
	}
	return s.bank.authenticate(token, needApproval)
}

// bearerToken extracts the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// maxFormBody caps a form body: the API's forms are small, and a larger
// body gets a clear error instead of Go's "http: POST too large".
const maxFormBody = 10 << 20

// requestParams returns a request's arguments the way the API reads them:
// the form body for POST, PUT and PATCH (the query string is ignored, as on
// the real API), the query string for GET, DELETE and everything else.
//
// A parameter given twice with different values is refused (except lists,
// whose names end in "[]"): which one the server would pick is a guess, and
// with amounts and account ids a wrong guess moves money (see
// docs/api-notes.md, "Emulator"). The same value repeated is accepted.
func requestParams(r *http.Request) (url.Values, *apiError) {
	var v url.Values
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if r.PostForm == nil && r.Body != nil {
			r.Body = http.MaxBytesReader(nil, r.Body, maxFormBody)
		}
		if err := r.ParseForm(); err != nil {
			if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
				return nil, newAPIError(http.StatusBadRequest, "bad_request.bad_body",
					fmt.Sprintf("The body is larger than %d MiB: the API's form bodies are small; send files to the upload URL from /attachment/upload", maxFormBody>>20), nil)
			}
			return nil, newAPIError(http.StatusBadRequest, "bad_request.bad_body",
				"Could not parse the form body: "+err.Error(), nil)
		}
		v = r.PostForm
	default:
		v = r.URL.Query()
	}
	if apiErr := conflictingParam(v); apiErr != nil {
		return nil, apiErr
	}
	return v, nil
}

// checkParams applies requestParams' checks to every authenticated route,
// including those that read the query string themselves, before the
// handler runs. Bodies that are not forms (receipts take JSON) are left to
// their handler.
func checkParams(r *http.Request) *apiError {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); !strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded") {
			return nil
		}
	}
	_, apiErr := requestParams(r)
	return apiErr
}

// conflictingParam returns an error naming the first (in name order)
// single-valued parameter given with different values.
func conflictingParam(v url.Values) *apiError {
	var bad []string
	for name, values := range v {
		if strings.HasSuffix(name, "[]") {
			continue
		}
		for _, x := range values[1:] {
			if x != values[0] {
				bad = append(bad, name)
				break
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	return badParam(bad[0], "The field '"+bad[0]+"' is given more than once with different values: send it once")
}

// requireParams returns the 400 bad_request.missing_param.<name> of the
// first of names (in the order given) that is absent or empty in form.
func requireParams(form url.Values, names ...string) *apiError {
	for _, name := range names {
		if form.Get(name) == "" {
			return missingParam(name)
		}
	}
	return nil
}

// wantsExpand reports whether the arguments ask to expand field, as
// expand[]=field or, leniently, expand=field.
func wantsExpand(v url.Values, field string) bool {
	return slices.Contains(v["expand[]"], field) || slices.Contains(v["expand"], field)
}

package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
)

// apiError is an error answer in Monzo's JSON error shape (monzo/terrors):
//
//	{"code":"bad_request.missing_param.account_id","message":"…","params":{…}}
//
// OAuth-flavoured errors (token endpoint, bad bearer tokens) also carry the
// OAuth "error" key and an "error_description".
type apiError struct {
	Status int `json:"-"`
	// Code is the dotted terrors code, e.g. "unauthorized.bad_access_token".
	Code string `json:"code"`
	// OAuthError is the RFC 6749/6750 error, e.g. "invalid_token".
	OAuthError       string            `json:"error,omitempty"`
	ErrorDescription string            `json:"error_description,omitempty"`
	Message          string            `json:"message"`
	Params           map[string]string `json:"params,omitempty"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// newAPIError builds an apiError.
func newAPIError(status int, code, message string, params map[string]string) *apiError {
	return &apiError{Status: status, Code: code, Message: message, Params: params}
}

// missingParam is the 400 Monzo answers when a required field is absent.
func missingParam(name string) *apiError {
	return newAPIError(http.StatusBadRequest, "bad_request.missing_param."+name,
		fmt.Sprintf("The field '%s' is required", name), nil)
}

// badParam is the 400 for a field that fails validation.
func badParam(name, message string) *apiError {
	return newAPIError(http.StatusBadRequest, "bad_request.bad_param."+name, message, nil)
}

// errInsufficientPermissions is the 403 of the SCA gate and of touching
// things the caller may not touch.
func errInsufficientPermissions(params map[string]string) *apiError {
	return newAPIError(http.StatusForbidden, "forbidden.insufficient_permissions",
		"Access forbidden due to insufficient permissions", params)
}

// notFound is the 404 for an unknown object, or one owned by another user
// (the emulator answers 404 in both cases, see docs/api-notes.md#error-codes).
func notFound(thing, message string, params map[string]string) *apiError {
	return newAPIError(http.StatusNotFound, "not_found."+thing, message, params)
}

// tokenError is a 401 about the bearer token, in the OAuth-flavoured shape.
func tokenError(code, message string) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Code: code, OAuthError: "invalid_token",
		ErrorDescription: message, Message: message}
}

// oauthError is a token-endpoint error carrying both the terrors code and the
// RFC 6749 error.
func oauthError(status int, code, oauthErr, message string) *apiError {
	return &apiError{Status: status, Code: code, OAuthError: oauthErr, ErrorDescription: message, Message: message}
}

// writeError answers with Monzo's JSON error body. params may be nil.
func writeError(w http.ResponseWriter, status int, code, message string, params map[string]string) {
	writeAPIError(w, newAPIError(status, code, message, params))
}

// writeAPIError answers with e's status and JSON body.
func writeAPIError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, e)
}

// encodeJSON encodes v as the API does ("<" and "&" as they are), without
// the trailing newline.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("emulator: encoding a response: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// writeJSON answers with v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the API sends "<" and "&" as they are
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"code":"internal_service.encoding_failed","message":"The emulator could not encode its response"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// methodNotAllowed answers 405 with an Allow header.
//
// The code is "method_not_allowed" with no terrors category prefix [E]:
// docs/api-notes.md#error-codes maps every prefix to one status ("bad_request" means 400),
// and no prefix maps to 405, so a bare code keeps clients that match on the
// prefix (errors.Is(err, monzo.ErrBadRequest)) from mistaking a 405 for a 400.
func methodNotAllowed(w http.ResponseWriter, r *http.Request, allowed []string) {
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	if wantsHTML(r) {
		writeBrowserErrorPage(w, newAPIError(http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("This address does not answer %s requests.", r.Method), nil))
		return
	}
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
		fmt.Sprintf("Method %s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allowed, " or ")),
		map[string]string{"method": r.Method, "path": r.URL.Path})
}

// notFoundHandler answers 404 for unknown paths.
func notFoundHandler(w http.ResponseWriter, r *http.Request) {
	if wantsHTML(r) {
		writeBrowserErrorPage(w, newAPIError(http.StatusNotFound, "not_found.endpoint",
			"There is no page at this address. To sign in, open the link your app gave you.", nil))
		return
	}
	writeError(w, http.StatusNotFound, "not_found.endpoint",
		fmt.Sprintf("No such endpoint: %s %s", r.Method, r.URL.Path),
		map[string]string{"method": r.Method, "path": r.URL.Path})
}

// nonCanonicalPath answers 404 for a path with empty, "." or ".."
// segments, naming the path that was probably meant (router.go says why
// it is not a redirect).
func nonCanonicalPath(w http.ResponseWriter, r *http.Request) {
	clean := path.Clean("/" + r.URL.EscapedPath())
	if wantsHTML(r) {
		writeBrowserErrorPage(w, newAPIError(http.StatusNotFound, "not_found.endpoint",
			"There is no page at this address. To sign in, open the link your app gave you.", nil))
		return
	}
	writeError(w, http.StatusNotFound, "not_found.endpoint",
		fmt.Sprintf("No such endpoint: %s %s: paths are matched as written, without merging slashes or resolving . and ..; did you mean %s?", r.Method, r.URL.Path, clean),
		map[string]string{"method": r.Method, "path": r.URL.Path})
}

// wantsHTML reports whether r comes from a browser asking for a page: API
// clients ask for JSON or send no Accept header.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// respond writes v as a 200 JSON answer, or apiErr if it is not nil.
func respond[T any](w http.ResponseWriter, v T, apiErr *apiError) {
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

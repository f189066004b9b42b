package emulator

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
)

// router maps "METHOD /path" patterns to handlers. Paths use http.ServeMux
// syntax ({name} wildcards, read with r.PathValue, and {$} for an exact
// "/"). Unlike a bare ServeMux it answers unknown paths with a JSON 404 and
// known paths with the wrong method with a JSON 405 and an Allow header.
type router struct {
	mux     *http.ServeMux
	methods map[string]map[string]http.Handler // path pattern → method → handler
	// limit, if set, runs before every handler not marked selfLimiting
	// (and before 404 and 405 answers); it answers and returns true when
	// the request is over its rate limit.
	limit func(w http.ResponseWriter, r *http.Request) bool
}

func newRouter() *router {
	r := &router{mux: http.NewServeMux(), methods: map[string]map[string]http.Handler{}}
	r.mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		if !r.limited(w, req) {
			notFoundHandler(w, req)
		}
	})
	return r
}

// limited applies rt.limit, if any.
func (rt *router) limited(w http.ResponseWriter, r *http.Request) bool {
	return rt.limit != nil && rt.limit(w, r)
}

// serve runs h, counting the request by address first unless h applies
// its own rate limit.
func (rt *router) serve(h http.Handler, w http.ResponseWriter, r *http.Request) {
	if _, self := h.(selfLimiting); !self && rt.limited(w, r) {
		return
	}
	h.ServeHTTP(w, r)
}

// Handle registers h for a "METHOD /path" pattern, e.g.
// r.Handle("PUT /pots/{id}/deposit", s.requireApproved(s.handlePotDeposit)).
// It panics on a malformed or duplicate pattern, like http.ServeMux.
func (rt *router) Handle(pattern string, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic(fmt.Sprintf("emulator: route pattern %q must look like \"GET /path\"", pattern))
	}
	byMethod := rt.methods[path]
	if byMethod == nil {
		byMethod = map[string]http.Handler{}
		rt.methods[path] = byMethod
		rt.mux.Handle(path, rt.dispatch(byMethod))
		if acceptsTrailingSlash(path) {
			rt.mux.Handle(path+"/{$}", rt.dispatch(byMethod))
		}
	}
	if _, dup := byMethod[method]; dup {
		panic(fmt.Sprintf("emulator: route %q registered twice", pattern))
	}
	byMethod[method] = h
}

// HandleFunc is Handle for a plain handler function.
func (rt *router) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	rt.Handle(pattern, http.HandlerFunc(h))
}

func (rt *router) dispatch(byMethod map[string]http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := byMethod[r.Method]; ok {
			rt.serve(h, w, r)
			return
		}
		if h, ok := byMethod[http.MethodGet]; ok && r.Method == http.MethodHead {
			rt.serve(h, w, r)
			return
		}
		if rt.limited(w, r) {
			return
		}
		allowed := make([]string, 0, len(byMethod))
		for m := range byMethod {
			allowed = append(allowed, m)
		}
		slices.Sort(allowed)
		methodNotAllowed(w, r, allowed)
	})
}

// ServeHTTP answers a path that is not in its canonical form as an
// unknown path, before http.ServeMux would redirect it.
//
// ServeMux answers "//accounts", "/pots/x/../y/deposit" or "/./balance"
// with a redirect to the cleaned path [E]. A client that follows a 307
// re-sends a PUT, body and all, to a path it never wrote (a pot move
// landing on another pot), and one that follows a 301 or 302 turns a POST
// into a GET and reports the wrong outcome. No API answers a request by
// telling the client to try another one, so neither does the emulator:
// such a path is 404 not_found.endpoint (an HTML page for a browser),
// counted by address like any unknown path. Canonical means what
// path.Clean leaves, with one trailing slash allowed (acceptsTrailingSlash),
// of the path as sent: an escaped slash or dot ("%2F", "%2E") is part of a
// segment, as ServeMux matches it, so a file URL whose name holds them
// still works.
func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !canonicalPath(r.URL.EscapedPath()) {
		if !rt.limited(w, r) {
			nonCanonicalPath(w, r)
		}
		return
	}
	rt.mux.ServeHTTP(w, r)
}

// canonicalPath reports whether p is absolute and clean: no empty, "." or
// ".." segments, apart from one trailing slash.
func canonicalPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean == p
}

// acceptsTrailingSlash reports whether the route at path also answers with
// one trailing slash. The real API answers "GET /transactions/" and
// "PUT /pots/{id}/deposit/" as it answers the paths without the slash, and
// clients written against it send them, so every API
// route does. The emulator's own paths (the control plane, the storage
// host, the consent page and the browser icon) keep their exact spelling.
func acceptsTrailingSlash(path string) bool {
	switch {
	case strings.HasSuffix(path, "/"), strings.HasSuffix(path, "{$}"):
		return false
	case strings.HasPrefix(path, controlPrefix), strings.HasPrefix(path, "/_storage/"), path == "/favicon.ico":
		return false
	}
	return true
}

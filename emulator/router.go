package emulator

import (
	"fmt"
	"net/http"
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
}

func newRouter() *router {
	r := &router{mux: http.NewServeMux(), methods: map[string]map[string]http.Handler{}}
	r.mux.HandleFunc("/", notFoundHandler)
	return r
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
			h.ServeHTTP(w, r)
			return
		}
		if h, ok := byMethod[http.MethodGet]; ok && r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
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

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) { rt.mux.ServeHTTP(w, r) }

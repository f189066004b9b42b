package emulator

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// controlPrefix is the reserved path prefix of the control plane.
const controlPrefix = "/_emulator/"

// middleware wraps the router with panic recovery, injected faults and
// request logging. Rate limiting happens where the caller is known
// (ratelimit.go).
func (s *Server) middleware(next http.Handler) http.Handler {
	h := s.recoverPanics(s.injectFaults(next))
	if s.opts.Logger != nil {
		h = logRequests(s.opts.Logger, h)
	}
	return h
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				if s.opts.Logger != nil {
					s.opts.Logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				}
				writeError(w, http.StatusInternalServerError, "internal_service.request_failed",
					"The emulator failed to handle the request (this is a bug in the emulator)", nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs one line per request. Tokens and secrets are never
// logged: only the method, path and outcome.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The duration is how long serving took for real, so it is
		// measured on the wall clock, not the emulator's (possibly
		// stopped) Clock.
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start).Round(time.Microsecond))
	})
}

package oauth

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// CallbackListener receives the browser's redirect back from Monzo on a
// loopback address, as command-line tools do: it listens on the host and
// port of a redirect URL such as "http://127.0.0.1:8789/callback", answers
// the first request to that path, and stops.
type CallbackListener struct {
	// RedirectURL is the URL the listener answers, with the real port when
	// the requested one was 0. Register exactly this URL on the client.
	RedirectURL string

	path     string
	listener net.Listener
	server   *http.Server
	result   chan callbackResult
	once     sync.Once
}

type callbackResult struct {
	raw string
	err error
}

// ListenForCallback starts listening for the redirect to redirectURL, which
// must be an http URL on a loopback host (127.0.0.1, [::1] or localhost).
// Port 0 picks a free port; read the final URL from RedirectURL.
func ListenForCallback(redirectURL string) (*CallbackListener, error) {
	u, err := url.Parse(redirectURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("oauth: redirect URL %q must be an http:// loopback URL such as http://127.0.0.1:8789/callback", redirectURL)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
		return nil, fmt.Errorf("oauth: redirect URL %q is not on this machine's loopback address; use 127.0.0.1", redirectURL)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("oauth: listening for the redirect on %s: %w (is another login running?)", u.Host, err)
	}
	actual := *u
	actual.Host = net.JoinHostPort(host, fmt.Sprint(ln.Addr().(*net.TCPAddr).Port))
	if u.Port() == "" {
		actual.Host = u.Host
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	l := &CallbackListener{
		RedirectURL: actual.String(),
		path:        path,
		listener:    ln,
		result:      make(chan callbackResult, 1),
	}
	l.server = &http.Server{Handler: http.HandlerFunc(l.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.server.Serve(ln) }()
	return l, nil
}

var callbackPage = template.Must(template.New("callback").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#14233c}</style></head>
<body><h1>{{.Title}}</h1><p>{{.Body}}</p></body></html>
`))

func (l *CallbackListener) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != l.path {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	page := struct{ Title, Body string }{"Logged in", "You can close this tab and return to the terminal."}
	if r.URL.Query().Get("error") != "" {
		page = struct{ Title, Body string }{"Login not completed", "Monzo did not grant access. Return to the terminal for details."}
	}
	_ = callbackPage.Execute(w, page)
	l.once.Do(func() { l.result <- callbackResult{raw: r.URL.RawQuery} })
}

// Wait blocks until the browser is redirected back (or ctx is done), then
// stops listening and returns what the redirect carried. It reports a refusal
// as an [*AuthorizationError]; the state still has to be checked, which
// [Config.Exchange] does.
func (l *CallbackListener) Wait(ctx context.Context) (Callback, error) {
	defer l.Close()
	select {
	case res := <-l.result:
		if res.err != nil {
			return Callback{}, res.err
		}
		return ParseCallback(res.raw)
	case <-ctx.Done():
		return Callback{}, fmt.Errorf("oauth: waiting for the browser to come back from Monzo: %w", ctx.Err())
	}
}

// Close stops listening. It is safe to call more than once.
func (l *CallbackListener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := l.server.Shutdown(ctx)
	if errors.Is(err, http.ErrServerClosed) || (err != nil && strings.Contains(err.Error(), "closed")) {
		return nil
	}
	return err
}

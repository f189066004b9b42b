package oauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/monzokit/monzo/internal/weburl"
)

// CallbackListener receives the browser's redirect back from Monzo on a
// loopback address, as command-line tools do: it listens on the host and
// port of a redirect URL such as "http://127.0.0.1:8789/callback" until the
// redirect answering this login arrives, then stops.
//
// Any web page the user visits can send the browser to the loopback port
// while a login waits, so the listener trusts only a request carrying the
// login's state (design choice: keep waiting rather than fail the login). A
// request with a missing or wrong state gets a 400 page and changes nothing;
// the listener keeps waiting for the genuine redirect until [CallbackListener.Wait]'s
// context ends.
type CallbackListener struct {
	// RedirectURL is the URL the listener answers, with the real port when
	// the requested one was 0. Register exactly this URL on the client.
	RedirectURL string

	path     string
	listener net.Listener
	server   *http.Server
	// arrivals carries each request to the path to Wait, which decides
	// whether it is the genuine redirect.
	arrivals chan arrival
	// closed is closed by Close, so that requests stop queueing.
	closed    chan struct{}
	closeOnce sync.Once
}

// arrival is one request to the callback path, waiting for Wait's verdict.
type arrival struct {
	query   url.Values
	raw     string
	verdict chan bool // true: the genuine redirect
}

// ListenForCallback starts listening for the redirect to redirectURL, which
// must be an http URL on a loopback host (127.0.0.1, [::1] or localhost).
// Port 0 picks a free port; read the final URL from RedirectURL.
func ListenForCallback(redirectURL string) (*CallbackListener, error) {
	u, err := weburl.ParseAbsolute(redirectURL)
	if err != nil || u.Scheme != "http" {
		return nil, invalid(fmt.Errorf("oauth: redirect URL %q must be an http:// loopback URL such as http://127.0.0.1:8789/callback", redirectURL))
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
		return nil, invalid(fmt.Errorf("oauth: redirect URL %q is not on this machine's loopback address; use 127.0.0.1", redirectURL))
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
		arrivals:    make(chan arrival),
		closed:      make(chan struct{}),
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

type pageText struct{ Title, Body string }

var (
	pageLoggedIn = pageText{"Logged in", "You can close this tab and return to the terminal."}
	pageRefused  = pageText{"Login not completed", "Monzo did not grant access. Return to the terminal for details."}
	pageForged   = pageText{"Not this login", "This request does not answer the login the terminal is waiting for, so it was ignored. If you are logging in, use the link the terminal printed."}
	pageGone     = pageText{"Login no longer waiting", "The terminal is no longer waiting for a login. Start it again there."}
)

func writePage(w http.ResponseWriter, status int, page pageText) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_ = callbackPage.Execute(w, page)
}

func (l *CallbackListener) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != l.path {
		http.NotFound(w, r)
		return
	}
	a := arrival{query: r.URL.Query(), raw: r.URL.RawQuery, verdict: make(chan bool, 1)}
	select {
	case l.arrivals <- a:
	case <-l.closed:
		writePage(w, http.StatusServiceUnavailable, pageGone)
		return
	case <-r.Context().Done():
		return
	}
	if !<-a.verdict {
		writePage(w, http.StatusBadRequest, pageForged)
		return
	}
	if a.query.Get("error") != "" {
		writePage(w, http.StatusOK, pageRefused)
		return
	}
	writePage(w, http.StatusOK, pageLoggedIn)
}

// Wait blocks until the browser comes back from Monzo with state (the one
// put in the auth URL, from [NewState]) or ctx is done, then stops
// listening and returns what the redirect carried. Requests whose state is
// missing or different are answered 400 and ignored (see
// [CallbackListener]); give ctx a deadline to bound the wait. A refusal is
// returned as an [*AuthorizationError]. An empty state is
// [ErrStateMismatch] at once. Closing the listener ends the wait. Call Wait
// once; a browser request that arrives before Wait is called is held until
// Wait judges it.
func (l *CallbackListener) Wait(ctx context.Context, state string) (Callback, error) {
	defer l.Close()
	if state == "" {
		return Callback{}, invalid(fmt.Errorf("%w (no expected state was given to Wait: pass the one put in the auth URL)", ErrStateMismatch))
	}
	for {
		select {
		case a := <-l.arrivals:
			if subtle.ConstantTimeCompare([]byte(a.query.Get("state")), []byte(state)) != 1 {
				a.verdict <- false
				continue
			}
			a.verdict <- true
			return ParseCallback(a.raw)
		case <-ctx.Done():
			return Callback{}, fmt.Errorf("oauth: waiting for the browser to come back from Monzo: %w", ctx.Err())
		case <-l.closed:
			return Callback{}, errors.New("oauth: the callback listener was closed before the browser came back from Monzo")
		}
	}
}

// Close stops listening. It is safe to call more than once.
func (l *CallbackListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := l.server.Shutdown(ctx)
	if errors.Is(err, http.ErrServerClosed) || (err != nil && strings.Contains(err.Error(), "closed")) {
		return nil
	}
	return err
}

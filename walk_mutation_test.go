package monzo_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/monzokit/monzo"
)

// pipeListener is a net.Listener whose connections are in-memory pipes, so
// an http.Server and an http.Transport can talk real HTTP inside a synctest
// bubble: a goroutine waiting on a pipe is durably blocked, one waiting on
// a socket is not, and synctest.Wait needs the former.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// dial is the client side's DialContext.
func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// failFirstList counts list requests and fails the first one on the
// network, before it reaches the emulator.
type failFirstList struct {
	next  http.RoundTripper
	lists atomic.Int64
}

var errInjected = errors.New("injected network failure")

func (f *failFirstList) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "/transactions" && f.lists.Add(1) == 1 {
		return nil, errInjected
	}
	return f.next.RoundTrip(req)
}

// TestBackfillStopsClaimingWindowsAfterAFailure: once a window fails, the
// walk can only end there (it hands windows over in order), so no worker may
// start a later window: those requests would be wasted, and on a
// rate-limited API they cost the user's budget. With one worker and the
// first window failing, the failed request must be the only one, however
// long the consumer takes to look at the error.
func TestBackfillStopsClaimingWindowsAfterAFailure(t *testing.T) {
	e := newTxEnv(t)
	since := e.clock.Now().Add(-10 * 24 * time.Hour)
	synctest.Test(t, func(t *testing.T) {
		ln := newPipeListener()
		hs := &http.Server{Handler: e.srv.Emulator.Handler()}
		served := make(chan struct{})
		go func() {
			defer close(served)
			hs.Serve(ln)
		}()
		transport := &http.Transport{DialContext: ln.dial}
		counter := &failFirstList{next: transport}
		c := e.srv.NewClient(e.srv.Login,
			monzo.WithBaseURL("http://emulator.test"),
			monzo.WithHTTPClient(&http.Client{Transport: counter}),
			monzo.WithTokenSource(frontTokens{e.srv.Login.Tokens}),
			monzo.WithRetryPolicy(monzo.NoRetries()))

		var err error
		for _, err = range c.Transactions.Backfill(t.Context(), e.personal, &monzo.BackfillOptions{
			Since: since, Until: e.clock.Now(), Window: 24 * time.Hour, Concurrency: 1,
		}) {
			if err != nil {
				// Hold the walk open until every worker has done what it
				// will do with the failure known.
				synctest.Wait()
				break
			}
		}
		if !errors.Is(err, errInjected) {
			t.Errorf("backfill ended with %v, want the injected failure", err)
		}
		if n := counter.lists.Load(); n != 1 {
			t.Errorf("%d list requests, want only the failed one: workers went on to later windows", n)
		}

		hs.Close()
		transport.CloseIdleConnections()
		<-served
	})
}

package emulator

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Running is an emulator serving HTTP on a local port, started by [Start].
type Running struct {
	// URL is the base URL, "http://127.0.0.1:PORT": the API host, the auth
	// host and the control plane.
	URL string
	// Server is the emulator, for Go-level control (Approve, clock, …).
	Server *Server

	httpServer *http.Server
	listener   net.Listener
	done       chan error

	shutdownOnce sync.Once
	shutdownErr  error
}

// Start creates a Server with opts and serves it on addr ("" means
// "127.0.0.1:0": loopback, random port) until Close or Shutdown.
func Start(addr string, opts Options) (*Running, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	run := &Running{
		URL:        "http://" + urlHost(ln.Addr()),
		Server:     s,
		httpServer: newHTTPServer(s.Handler()),
		listener:   ln,
		done:       make(chan error, 1),
	}
	go func() { run.done <- run.httpServer.Serve(ln) }()
	return run, nil
}

// Timeouts of the server Start runs, so slow or idle connections cannot
// pile up. The read timeout covers a whole request,
// body included, and leaves room for a MaxAttachmentSize upload over a
// slow link; there is no write timeout, because injected latency
// (faults.go) may hold a response back on purpose.
const (
	serverReadHeaderTimeout = 10 * time.Second
	serverReadTimeout       = 2 * time.Minute
	serverIdleTimeout       = 2 * time.Minute
)

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: serverReadHeaderTimeout,
		ReadTimeout:       serverReadTimeout,
		IdleTimeout:       serverIdleTimeout,
	}
}

// urlHost renders a listener address for a URL, mapping unspecified
// addresses (":0", "0.0.0.0") to 127.0.0.1.
func urlHost(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// Shutdown stops accepting connections, waits for in-flight requests (until
// ctx is done) and closes the Server. Later calls return the first result.
func (r *Running) Shutdown(ctx context.Context) error {
	r.shutdownOnce.Do(func() {
		err := r.httpServer.Shutdown(ctx)
		if serveErr := <-r.done; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
			err = serveErr
		}
		_ = r.Server.Close()
		r.shutdownErr = err
	})
	return r.shutdownErr
}

// Close is Shutdown with a five-second grace period.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.Shutdown(ctx)
}

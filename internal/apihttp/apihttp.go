// Package apihttp holds the request plumbing shared by the monzo client and
// the oauth package, so both talk to the Monzo API the same way: bodies
// form-encoded (docs/api-notes.md#requests), the same headers, response
// bodies read with a cap, and transport errors stripped of query strings.
package apihttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/monzokit/monzo/internal/weburl"
)

// Body is an encoded request body and its content type. The zero Body
// sends nothing.
type Body struct {
	Data        []byte
	ContentType string
}

// Form encodes values as an application/x-www-form-urlencoded body, the
// encoding every POST, PUT and PATCH of the API takes except receipts.
func Form(values url.Values) Body {
	return Body{Data: []byte(values.Encode()), ContentType: "application/x-www-form-urlencoded"}
}

// JSON encodes v as a JSON body (receipts only).
func JSON(v any) (Body, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return Body{}, err
	}
	return Body{Data: data, ContentType: "application/json"}, nil
}

// Request describes one HTTP request to the API.
type Request struct {
	Method string
	// URL is absolute; its query string is never repeated in errors.
	URL string
	Body
	// UserAgent is sent as the User-Agent header.
	UserAgent string
	// Bearer, when set, is sent as "Authorization: Bearer …".
	Bearer string
}

// New builds the *http.Request for r. Every call gets a fresh reader over
// the same bytes, so each retry attempt sends the same body.
func New(ctx context.Context, r Request) (*http.Request, error) {
	var reader io.Reader
	if r.Data != nil {
		reader = bytes.NewReader(r.Data)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, reader)
	if err != nil {
		// The error quotes the URL; keep its query out.
		return nil, weburl.RedactError(err)
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	req.Header.Set("Accept", "application/json")
	if r.UserAgent != "" {
		req.Header.Set("User-Agent", r.UserAgent)
	}
	if r.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.Bearer)
	}
	return req, nil
}

// Do sends req through hc. A transport error is returned without the URL's
// query string (the http package quotes the full URL); when the context is
// done, its error is returned instead, so callers can tell cancellation
// from a network failure.
func Do(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, weburl.RedactError(err)
	}
	return resp, nil
}

// ErrTooLarge is returned by [ReadAll] for a body longer than its cap.
var ErrTooLarge = errors.New("the response body is larger than expected")

// ReadAll reads at most max bytes of r. A longer body is [ErrTooLarge]
// rather than silently truncated, which would turn into a confusing
// decoding error.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	return ReadAllSized(r, -1, max)
}

// ReadAllSized is ReadAll for a body whose length is announced (an HTTP
// response's ContentLength; negative when unknown). The result is sized
// to the body, because decoders keep sub-slices of it (raw JSON) for as
// long as the values they decoded live: a believable length sizes the
// buffer once; otherwise the body is read into a pooled scratch buffer
// and copied out, so reading leaves neither a trail of doubled buffers
// for the garbage collector nor spare capacity pinned behind a page. The
// cap holds whatever the length claimed.
func ReadAllSized(r io.Reader, size, max int64) ([]byte, error) {
	lr := io.LimitReader(r, max+1)
	if size >= 0 && size <= max {
		// One byte more than announced, so that a body longer than its
		// header claims is read on (and still capped) rather than cut
		// short.
		return readCapped(lr, make([]byte, 0, size+1), max)
	}
	scratch := readBuffers.Get().(*[]byte)
	data, err := readCapped(lr, (*scratch)[:0], max)
	var out []byte
	if err == nil {
		out = append(make([]byte, 0, len(data)), data...)
	}
	// Only now may another read have the scratch buffer.
	if cap(data) <= maxPooledBuffer {
		*scratch = data[:0]
		readBuffers.Put(scratch)
	}
	return out, err
}

// readBuffers holds scratch buffers for bodies of unknown length.
var readBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer keeps a rare huge body's buffer out of the pool.
const maxPooledBuffer = 1 << 20

// readCapped appends everything lr yields to buf, growing it as io.ReadAll
// does, and fails with ErrTooLarge past max bytes.
func readCapped(lr io.Reader, buf []byte, max int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return buf, err
		}
	}
	if int64(len(buf)) > max {
		return buf, fmt.Errorf("%w (over %d bytes)", ErrTooLarge, max)
	}
	return buf, nil
}

// ReadCapped reads at most max bytes of r and drops the rest, for error
// bodies, of which the start is all anyone needs.
func ReadCapped(r io.Reader, max int64) []byte {
	data, _ := io.ReadAll(io.LimitReader(r, max))
	return data
}

// Drain reads and discards up to max bytes of r, so the connection can be
// reused.
func Drain(r io.Reader, max int64) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, max))
}

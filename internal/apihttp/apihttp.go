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
// response's ContentLength; negative when unknown). A believable length
// sizes the buffer once, so reading a page does not leave a trail of
// doubled buffers behind for the garbage collector; the cap still holds
// whatever the length claimed.
func ReadAllSized(r io.Reader, size, max int64) ([]byte, error) {
	if size < 0 || size > max {
		data, err := io.ReadAll(io.LimitReader(r, max+1))
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > max {
			return nil, fmt.Errorf("%w (over %d bytes)", ErrTooLarge, max)
		}
		return data, nil
	}
	// One byte more than announced, so that a body longer than its
	// header claims is read on (and still capped) rather than cut short.
	data := make([]byte, 0, size+1)
	lr := io.LimitReader(r, max+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow as io.ReadAll does
		}
		n, err := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w (over %d bytes)", ErrTooLarge, max)
	}
	return data, nil
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

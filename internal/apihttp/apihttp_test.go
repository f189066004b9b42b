package apihttp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"unsafe"
)

func TestReadAllRefusesWhatItWouldTruncate(t *testing.T) {
	if data, err := ReadAll(strings.NewReader("12345"), 5); err != nil || string(data) != "12345" {
		t.Errorf("ReadAll at the cap = %q, %v", data, err)
	}
	if _, err := ReadAll(strings.NewReader("123456"), 5); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadAll over the cap: err = %v, want ErrTooLarge", err)
	}
	if got := ReadCapped(strings.NewReader("123456"), 5); string(got) != "12345" {
		t.Errorf("ReadCapped = %q", got)
	}
}

// TestReadAllSizedTrustsTheLengthOnlyAsAHint: an announced length sizes the
// buffer in one allocation, but a body that is longer or shorter than its
// header claims is still read whole and capped.
func TestReadAllSizedTrustsTheLengthOnlyAsAHint(t *testing.T) {
	body := strings.Repeat("x", 10000)
	data, err := ReadAllSized(strings.NewReader(body), int64(len(body)), 1<<20)
	if err != nil || string(data) != body {
		t.Fatalf("announced length: %d bytes, %v", len(data), err)
	}
	if cap(data) != len(body)+1 {
		t.Errorf("buffer capacity %d for a %d-byte body: want one allocation of the announced size (+1)", cap(data), len(body))
	}
	for _, tc := range []struct {
		name      string
		announced int64
	}{{"shorter than announced", 20000}, {"longer than announced", 10}, {"unknown", -1}, {"over the cap", 1 << 30}} {
		data, err := ReadAllSized(strings.NewReader(body), tc.announced, 1<<20)
		if err != nil || string(data) != body {
			t.Errorf("%s: %d bytes, %v; want the whole body", tc.name, len(data), err)
		}
	}
	if _, err := ReadAllSized(strings.NewReader(body), 10, 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a body over the cap with a small announced length: err = %v, want ErrTooLarge", err)
	}
}

// TestReadAllSizedKeepsNoSpareCapacity: decoders keep sub-slices of the
// body, which pin its whole buffer, so a body of unknown length (chunked,
// or with a length past the cap) comes back in a buffer of its own size,
// not in io.ReadAll's grown one; reading many leaves the pooled scratch
// buffer to the next read, never shared with a result.
func TestReadAllSizedKeepsNoSpareCapacity(t *testing.T) {
	var results, bodies []string
	for i, n := range []int{0, 1, 511, 166_316, 300_000} {
		body := strings.Repeat(string(rune('a'+i)), n)
		for _, announced := range []int64{-1, 1 << 30} {
			data, err := ReadAllSized(iotest.OneByteReader(strings.NewReader(body)), announced, 1<<29)
			if err != nil || string(data) != body {
				t.Fatalf("%d bytes (announced %d): got %d bytes, %v", n, announced, len(data), err)
			}
			if cap(data) != len(data) {
				t.Errorf("%d bytes (announced %d): capacity %d, want %d", n, announced, cap(data), len(data))
			}
			results, bodies = append(results, unsafeString(data)), append(bodies, body)
		}
	}
	// Later reads must not have written over earlier results.
	for i := range results {
		if results[i] != bodies[i] {
			t.Fatalf("result %d was overwritten by a later read: %.20q", i, results[i])
		}
	}
}

func TestRequestsCarryTheFormAndHeaders(t *testing.T) {
	var got *http.Request
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		_ = r.ParseForm()
		body = r.PostForm.Encode()
	}))
	defer srv.Close()
	ctx := context.Background()
	req, err := New(ctx, Request{Method: http.MethodPost, URL: srv.URL + "/oauth2/token", Body: Form(url.Values{"a[b]": {"c"}}), UserAgent: "ua", Bearer: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := Do(ctx, srv.Client(), req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || got.Header.Get("Authorization") != "Bearer tok" ||
		got.Header.Get("Accept") != "application/json" || got.Header.Get("User-Agent") != "ua" || body != "a%5Bb%5D=c" {
		t.Errorf("headers %v, body %q", got.Header, body)
	}
}

func TestTransportErrorsDropTheQuery(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens any more
	ctx := context.Background()
	req, err := New(ctx, Request{Method: http.MethodGet, URL: srv.URL + "/upload?X-Amz-Signature=s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Do(ctx, http.DefaultClient, req)
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "/upload") {
		t.Errorf("err = %v, want the URL without its query", err)
	}
	if _, err := New(ctx, Request{Method: "BAD METHOD", URL: "http://h/?sig=s3cret"}); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("New with a bad method: %v", err)
	}
}

// unsafeString views b as a string without copying, so that a later write
// into b's memory shows.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// TestReadAllSizedConcurrently: readers of bodies of unknown length share
// the pool of scratch buffers, never a result.
func TestReadAllSizedConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				body := strings.Repeat(string(rune('a'+(g+i)%26)), 1000+i*37)
				data, err := ReadAllSized(strings.NewReader(body), -1, 1<<20)
				if err != nil || string(data) != body {
					t.Errorf("reader %d, body %d: got %d bytes starting %.10q, %v", g, i, len(data), data, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

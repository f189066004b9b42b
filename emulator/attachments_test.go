package emulator

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// announce asks for an upload URL and returns (file_url, upload_url).
func announce(e *env, token, name, fileType string, size int) (string, string) {
	e.t.Helper()
	r := e.do(http.MethodPost, "/attachment/upload", token, url.Values{
		"file_name": {name}, "file_type": {fileType}, "content_length": {strconv.Itoa(size)},
	})
	wantStatus(e.t, r, http.StatusOK)
	m := r.json(e.t)
	fileURL, _ := m["file_url"].(string)
	uploadURL, _ := m["upload_url"].(string)
	if fileURL == "" || uploadURL == "" {
		e.t.Fatalf("upload answer lacks URLs: %s", r.body)
	}
	return fileURL, uploadURL
}

// rawSend sends body to an absolute URL with the given headers, no token.
func (e *env) rawSend(method, rawURL string, header http.Header, body []byte) response {
	e.t.Helper()
	req, err := http.NewRequest(method, rawURL, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return e.send(req)
}

func TestAttachmentUploadServesTheBytes(t *testing.T) {
	e := setup(t)
	token, _ := approvedPrimary(e)
	png := []byte("\x89PNG\r\n\x1a\n not really a png")
	fileURL, uploadURL := announce(e, token, "receipt 1.png", "image/png", len(png))

	for _, u := range []string{fileURL, uploadURL} {
		if !strings.HasPrefix(u, e.ts.URL+"/") {
			t.Errorf("URL %s is not on the emulator (%s)", u, e.ts.URL)
		}
	}
	up, _ := url.Parse(uploadURL)
	if up.Query().Get("Signature") == "" || up.Query().Get("Expires") == "" {
		t.Errorf("upload URL %s carries no signature or expiry", uploadURL)
	}

	// Before the upload the file does not exist.
	wantStatus(t, e.rawSend(http.MethodGet, fileURL, nil, nil), http.StatusNotFound)

	r := e.rawSend(http.MethodPut, uploadURL, http.Header{"Content-Type": {"image/png"}}, png)
	wantStatus(t, r, http.StatusOK)

	got := e.rawSend(http.MethodGet, fileURL, nil, nil)
	wantStatus(t, got, http.StatusOK)
	if !bytes.Equal(got.body, png) || got.header.Get("Content-Type") != "image/png" {
		t.Errorf("file URL served %q as %q", got.body, got.header.Get("Content-Type"))
	}

	reqs := e.s.UploadRequests()
	if len(reqs) != 1 {
		t.Fatalf("UploadRequests = %d, want 1", len(reqs))
	}
	if rec := reqs[0]; rec.HasAuthorization || rec.Method != http.MethodPut || rec.Status != 200 ||
		rec.BytesReceived != int64(len(png)) || rec.Header.Get("Content-Type") != "image/png" || strings.Contains(rec.Path, "Signature") {
		t.Errorf("recorded %+v", rec)
	}
	ctl := e.get("/_emulator/uploads", "")
	wantStatus(t, ctl, http.StatusOK)
	if !strings.Contains(string(ctl.body), `"has_authorization":false`) {
		t.Errorf("GET /_emulator/uploads = %s", ctl.body)
	}
}

func TestAttachmentUploadURLRules(t *testing.T) {
	e := setup(t)
	token, _ := approvedPrimary(e)
	data := []byte("0123456789")

	t.Run("a bearer token is refused and recorded", func(t *testing.T) {
		_, uploadURL := announce(e, token, "a.png", "image/png", len(data))
		r := e.rawSend(http.MethodPut, uploadURL, http.Header{"Authorization": {"Bearer " + token}}, data)
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(string(r.body), "<Code>InvalidArgument</Code>") {
			t.Errorf("body %s", r.body)
		}
		reqs := e.s.UploadRequests()
		last := reqs[len(reqs)-1]
		if !last.HasAuthorization || last.Header.Get("Authorization") != "[redacted]" {
			t.Errorf("recorded %+v", last)
		}
		if strings.Contains(string(r.body), token) {
			t.Error("the token was echoed")
		}
	})
	t.Run("wrong signature", func(t *testing.T) {
		_, uploadURL := announce(e, token, "a.png", "image/png", len(data))
		u, _ := url.Parse(uploadURL)
		q := u.Query()
		q.Set("Signature", "forged")
		u.RawQuery = q.Encode()
		wantStatus(t, e.rawSend(http.MethodPut, u.String(), nil, data), http.StatusForbidden)
		u.RawQuery = ""
		wantStatus(t, e.rawSend(http.MethodPut, u.String(), nil, data), http.StatusForbidden)
	})
	t.Run("expired", func(t *testing.T) {
		_, uploadURL := announce(e, token, "a.png", "image/png", len(data))
		e.clock.Advance(UploadURLLifetime - time.Millisecond)
		fileURL, fresh := announce(e, token, "b.png", "image/png", len(data))
		wantStatus(t, e.rawSend(http.MethodPut, fresh, nil, data), http.StatusOK)
		e.clock.Advance(time.Millisecond)
		r := e.rawSend(http.MethodPut, uploadURL, nil, data)
		wantStatus(t, r, http.StatusForbidden)
		if !strings.Contains(string(r.body), "expired") {
			t.Errorf("body %s", r.body)
		}
		wantStatus(t, e.rawSend(http.MethodGet, fileURL, nil, nil), http.StatusOK)
	})
	t.Run("wrong length", func(t *testing.T) {
		_, uploadURL := announce(e, token, "a.png", "image/png", len(data))
		wantStatus(t, e.rawSend(http.MethodPut, uploadURL, nil, data[:5]), http.StatusBadRequest)
		wantStatus(t, e.rawSend(http.MethodPut, uploadURL, nil, append(data, 'x')), http.StatusBadRequest)
	})
	t.Run("unknown upload", func(t *testing.T) {
		wantStatus(t, e.rawSend(http.MethodPut, e.ts.URL+storageUploadPath+"nope?Signature=x", nil, data), http.StatusNotFound)
	})
	t.Run("POST raw and multipart", func(t *testing.T) {
		fileURL, uploadURL := announce(e, token, "raw.png", "image/png", len(data))
		wantStatus(t, e.rawSend(http.MethodPost, uploadURL, nil, data), http.StatusOK)
		wantStatus(t, e.rawSend(http.MethodGet, fileURL, nil, nil), http.StatusOK)

		fileURL, uploadURL = announce(e, token, "form.png", "image/png", len(data))
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("key", "ignored")
		fw, _ := mw.CreateFormFile("file", "form.png")
		_, _ = io.Copy(fw, bytes.NewReader(data))
		_ = mw.Close()
		wantStatus(t, e.rawSend(http.MethodPost, uploadURL, http.Header{"Content-Type": {mw.FormDataContentType()}}, body.Bytes()), http.StatusOK)
		got := e.rawSend(http.MethodGet, fileURL, nil, nil)
		if !bytes.Equal(got.body, data) {
			t.Errorf("multipart upload stored %q", got.body)
		}
	})
}

func TestAttachmentUploadValidation(t *testing.T) {
	e := setup(t)
	token, _ := approvedPrimary(e)
	valid := func() url.Values {
		return url.Values{"file_name": {"a.png"}, "file_type": {"image/png"}, "content_length": {"10"}}
	}
	tests := []struct {
		name string
		edit func(url.Values)
		code string
	}{
		{"no name", func(f url.Values) { f.Del("file_name") }, "bad_request.missing_param.file_name"},
		{"no type", func(f url.Values) { f.Del("file_type") }, "bad_request.missing_param.file_type"},
		{"no length", func(f url.Values) { f.Del("content_length") }, "bad_request.missing_param.content_length"},
		{"zero length", func(f url.Values) { f.Set("content_length", "0") }, "bad_request.bad_param.content_length"},
		{"text length", func(f url.Values) { f.Set("content_length", "ten") }, "bad_request.bad_param.content_length"},
		{"too big", func(f url.Values) { f.Set("content_length", strconv.Itoa(MaxAttachmentSize+1)) }, "bad_request.bad_param.content_length"},
		{"not a MIME type", func(f url.Values) { f.Set("file_type", "png") }, "bad_request.bad_param.file_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.edit(f)
			wantError(t, e.do(http.MethodPost, "/attachment/upload", token, f), 400, tt.code)
		})
	}
	wantStatus(t, e.do(http.MethodPost, "/attachment/upload", token, valid()), http.StatusOK)
}

func TestAttachmentUploadURLsUseBaseURL(t *testing.T) {
	e := setup(t, func(o *Options) { o.BaseURL = "https://monzo.example.test" })
	token, _ := approvedPrimary(e)
	fileURL, uploadURL := announce(e, token, "a.png", "image/png", 3)
	if !strings.HasPrefix(fileURL, "https://monzo.example.test/_storage/files/") ||
		!strings.HasPrefix(uploadURL, "https://monzo.example.test/_storage/upload/") {
		t.Errorf("file_url %s, upload_url %s", fileURL, uploadURL)
	}
}

func TestAttachmentRegisterAndDeregister(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	txID := txWhere(e, acc, func(tx *transaction) bool { return tx.Scheme == schemeMastercard && tx.Attachments == nil })
	if renderedTx(e, txID).Attachments != nil {
		t.Fatal("the transaction already has attachments")
	}

	e.clock.Advance(time.Minute)
	r := e.do(http.MethodPost, "/attachment/register", token, url.Values{
		"external_id": {txID}, "file_url": {"https://example.com/r.png"}, "file_type": {"image/png"},
	})
	wantStatus(t, r, http.StatusOK)
	att, _ := r.json(t)["attachment"].(map[string]any)
	id, _ := att["id"].(string)
	if !regexp.MustCompile(`^attach_0000[0-9A-Za-z]{18}$`).MatchString(id) {
		t.Errorf("id %q is not attach_ + 22 base62 characters", id)
	}
	want := map[string]any{"user_id": e.primary().ID, "external_id": txID, "file_url": "https://example.com/r.png",
		"file_type": "image/png", "created": formatTime(e.clock.Now())}
	for k, v := range want {
		if att[k] != v {
			t.Errorf("attachment[%s] = %v, want %v", k, att[k], v)
		}
	}

	got := renderedTx(e, txID).Attachments
	if len(got) != 1 || got[0].ID != id || got[0].Type != "image/png" || got[0].URL != "https://example.com/r.png" {
		t.Fatalf("transaction attachments = %+v", got)
	}

	// Another user cannot remove it.
	partnerTok := e.approvedLogin(e.client, e.partner().ID)
	wantError(t, e.do(http.MethodPost, "/attachment/deregister", partnerTok.Access, url.Values{"id": {id}}), 404, "not_found.attachment")

	r = e.do(http.MethodPost, "/attachment/deregister", token, url.Values{"id": {id}})
	wantStatus(t, r, http.StatusOK)
	if string(bytes.TrimSpace(r.body)) != "{}" {
		t.Errorf("deregister body %s", r.body)
	}
	if a := renderedTx(e, txID).Attachments; a != nil {
		t.Errorf("after deregister: %+v, want null", a)
	}
	wantError(t, e.do(http.MethodPost, "/attachment/deregister", token, url.Values{"id": {id}}), 404, "not_found.attachment")
	wantError(t, e.do(http.MethodPost, "/attachment/deregister", token, url.Values{}), 400, "bad_request.missing_param.id")
}

func TestAttachmentRegisterValidation(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	txID := txWhere(e, acc, func(tx *transaction) bool { return true })
	valid := func() url.Values {
		return url.Values{"external_id": {txID}, "file_url": {"https://example.com/r.png"}, "file_type": {"image/png"}}
	}
	tests := []struct {
		name   string
		edit   func(url.Values)
		status int
		code   string
	}{
		{"no transaction", func(f url.Values) { f.Del("external_id") }, 400, "bad_request.missing_param.external_id"},
		{"no file url", func(f url.Values) { f.Del("file_url") }, 400, "bad_request.missing_param.file_url"},
		{"no file type", func(f url.Values) { f.Del("file_type") }, 400, "bad_request.missing_param.file_type"},
		{"relative file url", func(f url.Values) { f.Set("file_url", "r.png") }, 400, "bad_request.bad_param.file_url"},
		{"unknown transaction", func(f url.Values) { f.Set("external_id", "tx_nope") }, 404, "not_found.transaction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid()
			tt.edit(f)
			wantError(t, e.do(http.MethodPost, "/attachment/register", token, f), tt.status, tt.code)
		})
	}
	// The partner cannot touch the primary user's personal transactions.
	partnerTok := e.approvedLogin(e.client, e.partner().ID)
	wantError(t, e.do(http.MethodPost, "/attachment/register", partnerTok.Access, valid()), 404, "not_found.transaction")
	if a := renderedTx(e, txID).Attachments; a != nil {
		t.Errorf("refused registrations were stored: %+v", a)
	}
}

// Uploads are served from the emulator's own origin, so nothing uploaded
// may act as a page there (issue 6 item 10): every type gets nosniff and a
// script-free sandbox; anything but an image or PDF is a download.
func TestUploadedFilesCannotRunAsPages(t *testing.T) {
	e := setup(t)
	token, _ := approvedPrimary(e)
	for _, c := range []struct {
		name, fileType string
		inline         bool
	}{
		{"page.html", "text/html", false},
		{"page.htm", "text/html; charset=utf-8", false},
		{"drawing.svg", "image/svg+xml", false},
		{"script.js", "application/javascript", false},
		{"notes.txt", "text/plain", false},
		{"photo.png", "image/png", true},
		{"photo.jpg", "image/jpeg", true},
		{"statement.pdf", "application/pdf", true},
	} {
		body := []byte("<script>fetch('/_emulator/state/clients')</script>")
		fileURL, uploadURL := announce(e, token, c.name, c.fileType, len(body))
		wantStatus(t, e.rawSend(http.MethodPut, uploadURL, http.Header{"Content-Type": {c.fileType}}, body), http.StatusOK)
		got := e.rawSend(http.MethodGet, fileURL, nil, nil)
		wantStatus(t, got, http.StatusOK)
		if v := got.header.Get("X-Content-Type-Options"); v != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", c.name, v)
		}
		if csp := got.header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || strings.Contains(csp, "allow-scripts") {
			t.Errorf("%s: Content-Security-Policy = %q, want a sandbox without scripts", c.name, csp)
		}
		cd := got.header.Get("Content-Disposition")
		if c.inline && cd != "" {
			t.Errorf("%s (%s): Content-Disposition = %q, want none (shown inline)", c.name, c.fileType, cd)
		}
		if !c.inline && !strings.HasPrefix(cd, "attachment") {
			t.Errorf("%s (%s): Content-Disposition = %q, want attachment", c.name, c.fileType, cd)
		}
	}
}

// A file URL works whatever the file is called: slashes and dots in the
// name are escaped into one path segment, which the router takes as it is
// sent (a name of "." or ".." included), never as a path to clean.
func TestFileURLsWorkForAnyName(t *testing.T) {
	e := setup(t)
	token, _ := approvedPrimary(e)
	for _, name := range []string{"/x.png", "a/../b.png", "..", ".", "a//b.png", "%2F.png", "receipt 1.png"} {
		fileURL, uploadURL := announce(e, token, name, "image/png", 3)
		wantStatus(t, e.rawSend(http.MethodPut, uploadURL, http.Header{"Content-Type": {"image/png"}}, []byte("abc")), http.StatusOK)
		got := e.rawSend(http.MethodGet, fileURL, nil, nil)
		if got.status != http.StatusOK || string(got.body) != "abc" {
			t.Errorf("file %q at %s: status %d, body %q", name, fileURL, got.status, got.body)
		}
	}
}

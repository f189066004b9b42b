package emulator

import (
	"crypto/subtle"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/monzokit/monzo/internal/weburl"
)

// Attachments (docs/api-notes.md#attachments).
//
// Rules ([E] choices are marked):
//
//   - POST /attachment/upload takes file_name, file_type and
//     content_length, all required (400 bad_request.missing_param.<name>).
//     [E] content_length must be a positive integer of at most
//     [MaxAttachmentSize] bytes and file_type a MIME type (400
//     bad_request.bad_param.<name>). The answer is {"file_url",
//     "upload_url"}, both absolute URLs on the emulator itself (from
//     Options.BaseURL or the request's Host).
//   - The upload URL stands in for a pre-signed S3 URL: it needs no bearer
//     token, carries a random Signature query parameter, and expires
//     [UploadURLLifetime] after it was handed out (by the emulator's clock).
//     It accepts PUT (what S3 expects) and, as the docs say, POST; a POST
//     may be a raw body or a multipart form with a "file" part. [E] Like
//     S3, which refuses a second authentication mechanism, it answers 400
//     InvalidArgument to a request carrying an Authorization header. It
//     refuses a wrong or missing signature and an expired URL (403), and a
//     body whose size differs from content_length (400). Errors use S3's
//     XML shape, not Monzo's JSON. Every request to it is recorded
//     ([Server.UploadRequests], GET /_emulator/uploads), headers included
//     with any Authorization value redacted, so tests can prove a client
//     never sent its token there.
//   - Once uploaded, the file_url serves the bytes (GET, no auth) with the
//     file_type as Content-Type; before that it is 404 NoSuchKey. Files are
//     served from the emulator's own origin, next to its unauthenticated
//     control plane, so an uploaded HTML page must never run as a page
//     there: see setUploadSafetyHeaders.
//   - POST /attachment/register takes external_id (a transaction of the
//     caller's, else 404 not_found.transaction), file_url (an absolute
//     http(s) URL: Monzo's own or one you host) and file_type, all
//     required. It answers {"attachment":{…}} and the attachment appears,
//     with type and url added, in the transaction's attachments.
//   - POST /attachment/deregister takes id (an attachment of the caller's,
//     else 404 not_found.attachment), removes it from its transaction (whose
//     attachments goes back to null when empty) and answers {}.

// MaxAttachmentSize is the largest content_length the emulator accepts.
const MaxAttachmentSize = 10 << 20

// UploadURLLifetime is how long an upload URL stays valid.
const UploadURLLifetime = 15 * time.Minute

// Storage paths: upload URLs and file URLs live on the emulator itself.
const (
	storageUploadPath = "/_storage/upload/"
	storageFilesPath  = "/_storage/files/"
)

// UploadRequest is one request the emulator's upload URL received.
type UploadRequest struct {
	Method string `json:"method"`
	// Path is the request path, without the signed query string.
	Path string `json:"path"`
	// Header holds the request headers; an Authorization value is
	// replaced by "[redacted]".
	Header http.Header `json:"header"`
	// HasAuthorization reports whether an Authorization header was sent
	// (it is refused with 400 InvalidArgument).
	HasAuthorization bool `json:"has_authorization"`
	// BytesReceived is how many body bytes the emulator read.
	BytesReceived int64 `json:"bytes_received"`
	// Status is the status the emulator answered.
	Status int       `json:"status"`
	Time   time.Time `json:"time"`
}

// attachmentState holds uploads and the attachment index. Its zero value is
// ready to use.
type attachmentState struct {
	uploads  map[string]*upload // key → upload
	requests []UploadRequest
	// txOf maps an attachment id to its transaction id.
	txOf map[string]string
}

// upload is one file announced with POST /attachment/upload.
type upload struct {
	Key           string
	UserID        string
	FileName      string
	FileType      string
	ContentLength int64
	Signature     string
	Expires       time.Time
	Data          []byte
	Uploaded      bool
}

// handleAttachmentUpload serves POST /attachment/upload.
func (s *Server) handleAttachmentUpload(w http.ResponseWriter, r *http.Request, c caller) {
	form, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if apiErr := requireParams(form, "file_name", "file_type", "content_length"); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	fileName, fileType := form.Get("file_name"), form.Get("file_type")
	size, err := strconv.ParseInt(form.Get("content_length"), 10, 64)
	switch {
	case err != nil || size <= 0:
		writeAPIError(w, badParam("content_length", "The field 'content_length' must be the file's size in bytes, a positive integer"))
		return
	case size > MaxAttachmentSize:
		writeAPIError(w, badParam("content_length", fmt.Sprintf("The file is too large: at most %d bytes are accepted", MaxAttachmentSize)))
		return
	}
	if _, _, err := mime.ParseMediaType(fileType); err != nil || !strings.Contains(fileType, "/") {
		writeAPIError(w, badParam("file_type", "The field 'file_type' must be a MIME type such as image/png"))
		return
	}
	base := s.baseURL(r)
	up := s.bank.createUpload(c.UserID, fileName, fileType, size)
	q := url.Values{"Expires": {strconv.FormatInt(up.Expires.Unix(), 10)}, "Signature": {up.Signature}}
	writeJSON(w, http.StatusOK, map[string]string{
		"file_url":   base + storageFilesPath + up.Key + "/" + pathSegment(fileName),
		"upload_url": base + storageUploadPath + up.Key + "?" + q.Encode(),
	})
}

// handleStorageUpload serves PUT and POST on an upload URL, like S3.
func (s *Server) handleStorageUpload(w http.ResponseWriter, r *http.Request) {
	rec := UploadRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()}
	if rec.Header.Get("Authorization") != "" {
		rec.HasAuthorization = true
		rec.Header.Set("Authorization", "[redacted]")
	}
	status, code, message := s.storeUpload(r, &rec)
	rec.Status = status
	s.bank.recordUploadRequest(rec)
	if code != "" {
		writeS3Error(w, status, code, message)
		return
	}
	w.Header().Set("ETag", `"emulator"`)
	w.WriteHeader(status)
}

// storeUpload checks and stores one upload; it returns the status and, on
// failure, an S3 error code and message.
func (s *Server) storeUpload(r *http.Request, rec *UploadRequest) (int, string, string) {
	key := r.PathValue("key")
	up, now := s.bank.upload(key)
	var sig string
	var expires time.Time
	var size int64
	if up != nil {
		sig, expires, size = up.Signature, up.Expires, up.ContentLength
	}
	given := r.URL.Query().Get("Signature")
	switch {
	case up == nil:
		return http.StatusNotFound, "NoSuchUpload", "The specified upload does not exist."
	case rec.HasAuthorization:
		return http.StatusBadRequest, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
	case given == "" || subtle.ConstantTimeCompare([]byte(given), []byte(sig)) != 1:
		return http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
	case !now.Before(expires):
		return http.StatusForbidden, "AccessDenied", "Request has expired"
	}
	body := io.Reader(r.Body)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Method == http.MethodPost && mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				return http.StatusBadRequest, "MalformedPOSTRequest", "The multipart form has no 'file' part."
			}
			if part.FormName() == "file" {
				body = part
				break
			}
		}
	}
	data, err := io.ReadAll(io.LimitReader(body, size+1))
	rec.BytesReceived = int64(len(data))
	switch {
	case err != nil:
		return http.StatusBadRequest, "IncompleteBody", "Could not read the request body: " + err.Error()
	case int64(len(data)) > size:
		return http.StatusBadRequest, "EntityTooLarge", fmt.Sprintf("Your proposed upload exceeds the content_length of %d bytes given to /attachment/upload.", size)
	case int64(len(data)) < size:
		return http.StatusBadRequest, "IncompleteBody", fmt.Sprintf("You did not provide the number of bytes given as content_length (%d); got %d.", size, len(data))
	}
	s.bank.finishUpload(key, data)
	return http.StatusOK, "", ""
}

// writeS3Error answers in S3's XML error shape.
func writeS3Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>\n",
		html.EscapeString(code), html.EscapeString(message))
}

// handleStorageFile serves GET on a file URL.
func (s *Server) handleStorageFile(w http.ResponseWriter, r *http.Request) {
	// The bytes are never changed once uploaded: serve them unlocked.
	file := s.bank.uploadedFile(r.PathValue("key"), r.PathValue("name"))
	if file == nil {
		writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", file.FileType)
	h.Set("Content-Length", strconv.Itoa(len(file.Data)))
	setUploadSafetyHeaders(h, file.FileType, file.FileName)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(file.Data)
	}
}

// handleAttachmentRegister serves POST /attachment/register.
func (s *Server) handleAttachmentRegister(w http.ResponseWriter, r *http.Request, c caller) {
	form, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if apiErr := requireParams(form, "external_id", "file_url", "file_type"); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if !weburl.Valid(form.Get("file_url")) {
		writeAPIError(w, badParam("file_url", "The field 'file_url' must be an absolute http(s) URL"))
		return
	}
	att, apiErr := s.bank.registerAttachment(c.UserID, form.Get("external_id"), form.Get("file_url"), form.Get("file_type"))
	respond(w, map[string]any{"attachment": att}, apiErr)
}

// handleAttachmentDeregister serves POST /attachment/deregister.
func (s *Server) handleAttachmentDeregister(w http.ResponseWriter, r *http.Request, c caller) {
	form, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if apiErr := requireParams(form, "id"); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	respond(w, struct{}{}, s.bank.deregisterAttachment(c.UserID, form.Get("id")))
}

// UploadRequests returns every request the upload URLs received, oldest
// first.
func (s *Server) UploadRequests() []UploadRequest { return s.bank.UploadRequests() }

// inlineFileTypes are the upload types a browser may show inline: raster
// images and PDF, which cannot run script on the emulator's origin. SVG is
// an image that can, so it is not here.
var inlineFileTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"image/bmp": true, "image/avif": true, "application/pdf": true,
}

// setUploadSafetyHeaders keeps an uploaded file from acting as a page of the
// emulator's origin (stored XSS): no type sniffing, a
// sandbox with no script, and a download instead of a page for anything
// that is not an image or PDF.
func setUploadSafetyHeaders(h http.Header, fileType, fileName string) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	mt, _, err := mime.ParseMediaType(fileType)
	if err != nil || !inlineFileTypes[strings.ToLower(mt)] {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fileName}))
	}
}

// pathSegment escapes name as one path segment. A name of "." or ".." is
// escaped too ("%2E"): as it is, a client or proxy would resolve it, and
// the emulator answers such paths as unknown (router.go).
func pathSegment(name string) string {
	if strings.Trim(name, ".") == "" {
		return strings.Repeat("%2E", len(name))
	}
	return url.PathEscape(name)
}

package monzo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// AttachmentsService uploads images and attaches them to transactions.
//
// There are two ways to attach an image. Either Monzo hosts it: call
// [AttachmentsService.Attach], which does the three steps (Upload, send the
// bytes, Register) in one call. Or you host it: call
// [AttachmentsService.Register] with your own URL.
type AttachmentsService service

// maxBufferedAttachment caps how much of a file of unknown size
// [AttachmentsService.Attach] reads into memory to learn its size.
const maxBufferedAttachment = 10 << 20

// AttachmentUpload describes a file to upload with [AttachmentsService.Upload].
type AttachmentUpload struct {
	// FileName is the file's name, e.g. "receipt.png". Required.
	FileName string
	// FileType is the file's MIME type, e.g. "image/png". Required.
	FileType string
	// ContentLength is the file's size in bytes. Required, and must be
	// positive: the upload URL only accepts exactly this many bytes.
	ContentLength int64
}

// AttachmentUploadURLs is the answer of [AttachmentsService.Upload].
type AttachmentUploadURLs struct {
	// FileURL is where the file will be served from once uploaded; pass it
	// to [AttachmentsService.Register].
	FileURL string `json:"file_url"`
	// UploadURL is a short-lived, pre-signed URL to PUT the bytes to. Its
	// query string is a credential: do not log it.
	UploadURL string `json:"upload_url"`

	// Raw is the JSON the answer was decoded from.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the answer and keeps its raw JSON.
func (u *AttachmentUploadURLs) UnmarshalJSON(data []byte) error {
	type plain AttachmentUploadURLs
	return decodeKeepingRaw(data, (*plain)(u), &u.Raw)
}

// AttachmentRegistration attaches a file to a transaction with
// [AttachmentsService.Register].
type AttachmentRegistration struct {
	// ExternalID is the id of the transaction ("tx_…") to attach to. Required.
	ExternalID string
	// FileURL is where the file lives: the FileURL from
	// [AttachmentsService.Upload], or a URL you host. Required.
	FileURL string
	// FileType is the file's MIME type, e.g. "image/png". Required.
	FileType string
}

// Upload asks Monzo where to upload a file. Send the bytes to the answer's
// UploadURL with an HTTP PUT (no Authorization header: the URL is signed),
// then call [AttachmentsService.Register] with its FileURL.
// [AttachmentsService.Attach] does all of this in one call.
//
// Upload creates nothing visible, so it is retried like a read.
func (s *AttachmentsService) Upload(ctx context.Context, up AttachmentUpload) (*AttachmentUploadURLs, error) {
	var problems []string
	if strings.TrimSpace(up.FileName) == "" {
		problems = append(problems, "FileName is required")
	}
	if strings.TrimSpace(up.FileType) == "" {
		problems = append(problems, `FileType is required (a MIME type such as "image/png")`)
	}
	if up.ContentLength <= 0 {
		problems = append(problems, fmt.Sprintf("ContentLength must be the file's size in bytes, got %d", up.ContentLength))
	}
	if len(problems) > 0 {
		return nil, errors.New("monzo: invalid attachment upload: " + strings.Join(problems, "; "))
	}
	form := url.Values{
		"file_name":      {up.FileName},
		"file_type":      {up.FileType},
		"content_length": {strconv.FormatInt(up.ContentLength, 10)},
	}
	var out AttachmentUploadURLs
	if err := s.client.do(ctx, request{method: http.MethodPost, path: "attachment/upload", form: form, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Register attaches a file to a transaction and returns the attachment.
//
// Registering is not idempotent (a repeat would attach the file twice), so
// Register is never retried.
func (s *AttachmentsService) Register(ctx context.Context, reg AttachmentRegistration) (*Attachment, error) {
	var problems []string
	if strings.TrimSpace(reg.ExternalID) == "" {
		problems = append(problems, "ExternalID is required (the transaction id)")
	}
	if strings.TrimSpace(reg.FileURL) == "" {
		problems = append(problems, "FileURL is required")
	}
	if strings.TrimSpace(reg.FileType) == "" {
		problems = append(problems, `FileType is required (a MIME type such as "image/png")`)
	}
	if len(problems) > 0 {
		return nil, errors.New("monzo: invalid attachment registration: " + strings.Join(problems, "; "))
	}
	form := url.Values{
		"external_id": {reg.ExternalID},
		"file_url":    {reg.FileURL},
		"file_type":   {reg.FileType},
	}
	var out struct {
		Attachment *Attachment `json:"attachment"`
	}
	if err := s.client.do(ctx, request{method: http.MethodPost, path: "attachment/register", form: form}, &out); err != nil {
		return nil, err
	}
	if out.Attachment == nil {
		return nil, errors.New("monzo: POST attachment/register: the response has no attachment")
	}
	return out.Attachment, nil
}

// Deregister removes an attachment from its transaction. It is safe to
// repeat, so it is retried.
func (s *AttachmentsService) Deregister(ctx context.Context, attachmentID string) error {
	if err := requireID("attachment id", attachmentID); err != nil {
		return err
	}
	form := url.Values{"id": {attachmentID}}
	return s.client.do(ctx, request{method: http.MethodPost, path: "attachment/deregister", form: form, idempotent: true, removes: true}, nil)
}

// Attach uploads a file to Monzo and attaches it to a transaction: it calls
// [AttachmentsService.Upload], sends the bytes from r to the upload URL,
// then calls [AttachmentsService.Register].
//
// size is the number of bytes r holds; exactly that many are sent, and a
// reader that ends sooner is an error. When the size is unknown, pass a
// negative size: Attach then reads r into memory first, up to 10 MiB.
//
// The bytes go through the client's *http.Client but never carry the access
// token, whatever host the upload URL names: the upload URL is pre-signed
// and storage services refuse a second credential. (An *http.Client whose
// transport adds an Authorization header itself would defeat this; give
// [WithHTTPClient] a plain one.) A refusal is reported as an [*UploadError].
// The upload is not retried, since r cannot be read twice; nothing is
// registered when it fails.
func (s *AttachmentsService) Attach(ctx context.Context, transactionID, fileName, fileType string, r io.Reader, size int64) (*Attachment, error) {
	if err := requireID("transaction id", transactionID); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errors.New("monzo: Attach: nil reader")
	}
	if size < 0 {
		data, err := io.ReadAll(io.LimitReader(r, maxBufferedAttachment+1))
		if err != nil {
			return nil, fmt.Errorf("monzo: reading %s: %w", fileName, err)
		}
		if len(data) > maxBufferedAttachment {
			return nil, fmt.Errorf("monzo: %s is larger than %d MiB: pass its size to Attach to stream it instead of buffering it", fileName, maxBufferedAttachment>>20)
		}
		r, size = bytes.NewReader(data), int64(len(data))
	}
	if size == 0 {
		return nil, fmt.Errorf("monzo: %s is empty: Monzo only accepts files of at least one byte", fileName)
	}
	urls, err := s.Upload(ctx, AttachmentUpload{FileName: fileName, FileType: fileType, ContentLength: size})
	if err != nil {
		return nil, err
	}
	if err := s.client.putUpload(ctx, urls.UploadURL, fileType, r, size); err != nil {
		return nil, err
	}
	return s.Register(ctx, AttachmentRegistration{ExternalID: transactionID, FileURL: urls.FileURL, FileType: fileType})
}

// UploadError reports that the storage behind an upload URL refused the
// bytes sent by [AttachmentsService.Attach].
type UploadError struct {
	// StatusCode is the HTTP status of the refusal.
	StatusCode int
	// URL is the upload URL without its query string, which carries the
	// signature.
	URL string
	// Excerpt is the start of the response body, for diagnosis.
	Excerpt string
}

// Error describes the refusal. It never includes the URL's signature.
func (e *UploadError) Error() string {
	msg := fmt.Sprintf("monzo: uploading the attachment to %s: %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Excerpt != "" {
		msg += fmt.Sprintf(" (body: %q)", e.Excerpt)
	}
	if e.StatusCode == http.StatusForbidden {
		msg += " (the upload URL may have expired: call Attach again)"
	}
	return msg
}

// putUpload sends exactly size bytes of r to a pre-signed upload URL. It
// builds a fresh request carrying only Content-Type, Content-Length and the
// User-Agent: never the access token.
func (c *Client) putUpload(ctx context.Context, uploadURL, fileType string, r io.Reader, size int64) error {
	u, err := url.Parse(uploadURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("monzo: the upload URL Monzo returned is not an absolute http(s) URL (%q)", withoutQuery(uploadURL))
	}
	safeURL := withoutQuery(uploadURL)
	// counted lets us tell a short reader from a transport failure.
	counted := &countingReader{r: io.LimitReader(r, size)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), counted)
	if err != nil {
		return fmt.Errorf("monzo: building the upload request to %s: %w", safeURL, err)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", fileType)
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.httpClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if counted.n < size && counted.eof {
			return fmt.Errorf("monzo: the reader held %d bytes but Attach was told %d", counted.n, size)
		}
		return fmt.Errorf("monzo: uploading the attachment: %w", redactedURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return &UploadError{StatusCode: resp.StatusCode, URL: safeURL, Excerpt: excerpt(data)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	return nil
}

// countingReader counts the bytes read and notes the end of input.
type countingReader struct {
	r   io.Reader
	n   int64
	eof bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err == io.EOF {
		c.eof = true
	}
	return n, err
}

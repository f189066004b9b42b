package monzo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/monzokit/monzo/internal/apihttp"
	"github.com/monzokit/monzo/internal/weburl"
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
	Raw RawJSON `json:"-"`
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
	var p problems
	p.required("FileName", up.FileName)
	p.requiredAs("FileType", up.FileType, `a MIME type such as "image/png"`)
	if up.ContentLength <= 0 {
		p.add("ContentLength must be the file's size in bytes, got %d", up.ContentLength)
	}
	if err := p.err("attachment upload"); err != nil {
		return nil, err
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
	var p problems
	p.requiredAs("ExternalID", reg.ExternalID, "the transaction id")
	p.required("FileURL", reg.FileURL)
	p.requiredAs("FileType", reg.FileType, `a MIME type such as "image/png"`)
	if err := p.err("attachment registration"); err != nil {
		return nil, err
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
		return nil, errors.New("monzo: POST /attachment/register: the response has no attachment")
	}
	return out.Attachment, nil
}

// Deregister removes an attachment from its transaction. It is safe to
// repeat, so it is retried.
func (s *AttachmentsService) Deregister(ctx context.Context, attachmentID string) error {
	if err := requireArg("Attachments.Deregister", "attachment id", attachmentID); err != nil {
		return err
	}
	form := url.Values{"id": {attachmentID}}
	return s.client.do(ctx, request{method: http.MethodPost, path: "attachment/deregister", form: form, idempotent: true, removes: true}, nil)
}

// AttachRequest is a file to upload and attach to a transaction with
// [AttachmentsService.Attach].
type AttachRequest struct {
	// TransactionID is the transaction ("tx_…") to attach the file to. Required.
	TransactionID string
	// FileName is the file's name, e.g. "receipt.png". Required.
	FileName string
	// FileType is the file's MIME type, e.g. "image/png". Required.
	FileType string
	// Body holds the file's bytes. Required.
	Body io.Reader
	// Size is the number of bytes Body holds; exactly that many are sent,
	// and a Body that ends sooner is an error. Zero means unknown: Attach
	// then reads Body into memory first, up to 10 MiB.
	Size int64
}

// Attach uploads a file to Monzo and attaches it to a transaction: it calls
// [AttachmentsService.Upload], sends the bytes from req.Body to the upload
// URL, then calls [AttachmentsService.Register].
//
// The bytes go through the client's upload *http.Client (see
// [WithHTTPClient]) but never carry the access token, whatever host the
// upload URL names: the upload URL is pre-signed and storage services refuse
// a second credential. (An *http.Client whose transport adds an
// Authorization header itself would defeat this; give [WithHTTPClient] a
// plain one.) A refusal is reported as an [*UploadError]. The upload is not
// retried, since Body cannot be read twice; nothing is registered when it
// fails.
func (s *AttachmentsService) Attach(ctx context.Context, req AttachRequest) (*Attachment, error) {
	var p problems
	p.requiredAs("TransactionID", req.TransactionID, "the transaction's id")
	p.required("FileName", req.FileName)
	p.requiredAs("FileType", req.FileType, `a MIME type such as "image/png"`)
	if req.Body == nil {
		p.add("Body is required (the file's bytes)")
	}
	if req.Size < 0 {
		p.add("Size must be the file's size in bytes, or 0 when unknown, got %d", req.Size)
	}
	if err := p.err("attach request"); err != nil {
		return nil, err
	}
	r, size := req.Body, req.Size
	if size == 0 {
		data, err := io.ReadAll(io.LimitReader(r, maxBufferedAttachment+1))
		if err != nil {
			return nil, fmt.Errorf("monzo: reading %s: %w", req.FileName, err)
		}
		if len(data) > maxBufferedAttachment {
			return nil, invalidf("%s is larger than %d MiB: set AttachRequest.Size to stream it instead of buffering it", req.FileName, maxBufferedAttachment>>20)
		}
		if len(data) == 0 {
			return nil, invalidf("%s is empty: Monzo only accepts files of at least one byte", req.FileName)
		}
		r, size = bytes.NewReader(data), int64(len(data))
	}
	urls, err := s.Upload(ctx, AttachmentUpload{FileName: req.FileName, FileType: req.FileType, ContentLength: size})
	if err != nil {
		return nil, err
	}
	if err := s.client.putUpload(ctx, urls.UploadURL, req.FileType, r, size); err != nil {
		return nil, err
	}
	return s.Register(ctx, AttachmentRegistration{ExternalID: req.TransactionID, FileURL: urls.FileURL, FileType: req.FileType})
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
	u, err := weburl.ParseAbsolute(uploadURL)
	if err != nil {
		return fmt.Errorf("monzo: the upload URL Monzo returned (%q) is unusable: %v", weburl.RedactQuery(uploadURL), err)
	}
	safeURL := weburl.WithoutQuery(uploadURL)
	// counted lets us tell a short reader from a transport failure.
	counted := &countingReader{r: io.LimitReader(r, size)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), counted)
	if err != nil {
		return fmt.Errorf("monzo: building the upload request to %s: %w", safeURL, err)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", fileType)
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := apihttp.Do(ctx, c.uploadHTTPClient(), req)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		if counted.n < size && counted.eof {
			return invalidf("AttachRequest.Body held %d bytes but AttachRequest.Size says %d", counted.n, size)
		}
		return fmt.Errorf("monzo: uploading the attachment: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		data := apihttp.ReadCapped(resp.Body, maxErrorBody)
		return &UploadError{StatusCode: resp.StatusCode, URL: safeURL, Excerpt: excerpt(data)}
	}
	apihttp.Drain(resp.Body, maxErrorBody)
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

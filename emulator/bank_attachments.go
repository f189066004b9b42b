package emulator

import (
	"slices"
	"strings"
	"time"
)

// annotatableTxLocked returns the transaction txID if userID owns its
// account, else 404 not_found.transaction. Call with b.mu held.
func (b *bank) annotatableTxLocked(userID, txID string) (*transaction, *apiError) {
	tx := b.transactions[txID]
	if tx == nil || txID == "" {
		return nil, notFound("transaction", "Transaction not found", map[string]string{"transaction_id": txID})
	}
	if a := b.accounts[tx.AccountID]; a == nil || !a.ownedBy(userID) {
		return nil, notFound("transaction", "Transaction not found", map[string]string{"transaction_id": txID})
	}
	return tx, nil
}

// UploadRequests is the operation behind [Server.UploadRequests].
func (b *bank) UploadRequests() []UploadRequest {
	b.mu.Lock()
	defer b.unlock()
	out := make([]UploadRequest, 0, len(b.attachments.requests))
	for _, rec := range b.attachments.requests {
		rec.Header = rec.Header.Clone()
		out = append(out, rec)
	}
	return out
}

// createUpload mints an upload slot for a file of userID and returns a
// snapshot of it.
func (b *bank) createUpload(userID, fileName, fileType string, size int64) upload {
	b.mu.Lock()
	defer b.unlock()
	now := b.now()
	up := &upload{
		Key:           strings.TrimPrefix(b.newID("upload", now), "upload_"),
		UserID:        userID,
		FileName:      fileName,
		FileType:      fileType,
		ContentLength: size,
		Signature:     randomString(40),
		Expires:       now.Add(UploadURLLifetime),
	}
	if b.attachments.uploads == nil {
		b.attachments.uploads = map[string]*upload{}
	}
	b.attachments.uploads[up.Key] = up
	return *up
}

// recordUploadRequest logs a request made to an upload URL, stamped now.
func (b *bank) recordUploadRequest(rec UploadRequest) {
	b.mu.Lock()
	defer b.unlock()
	rec.Time = b.now()
	b.attachments.requests = append(b.attachments.requests, rec)
}

// upload snapshots the upload slot key (nil if there is none) and returns
// the time now, to check its expiry against.
func (b *bank) upload(key string) (*upload, time.Time) {
	b.mu.Lock()
	defer b.unlock()
	now := b.now()
	if up := b.attachments.uploads[key]; up != nil {
		snapshot := *up
		return &snapshot, now
	}
	return nil, now
}

// finishUpload stores the bytes uploaded to slot key.
func (b *bank) finishUpload(key string, data []byte) {
	b.mu.Lock()
	defer b.unlock()
	if up := b.attachments.uploads[key]; up != nil {
		up.Data, up.Uploaded = data, true
	}
}

// uploadedFile snapshots the uploaded file key/name, or returns nil. The
// bytes are never changed once uploaded, so the snapshot shares them.
func (b *bank) uploadedFile(key, name string) *upload {
	b.mu.Lock()
	defer b.unlock()
	up := b.attachments.uploads[key]
	if up == nil || !up.Uploaded || up.FileName != name {
		return nil
	}
	snapshot := *up
	return &snapshot
}

// registerAttachment attaches the file at fileURL to userID's transaction
// txID.
func (b *bank) registerAttachment(userID, txID, fileURL, fileType string) (attachmentJSON, *apiError) {
	return locked(b, func() (attachmentJSON, *apiError) {
		tx, apiErr := b.annotatableTxLocked(userID, txID)
		if apiErr != nil {
			return attachmentJSON{}, apiErr
		}
		now := b.now()
		a := &attachment{
			ID:         b.newID("attach", now),
			UserID:     userID,
			ExternalID: tx.ID,
			FileURL:    fileURL,
			FileType:   fileType,
			Created:    now,
		}
		b.updateTransactionLocked(tx, func(tx *transaction) {
			// Copy on write: views taken earlier keep the slice they saw.
			tx.Attachments = append(slices.Clip(tx.Attachments), a)
			tx.Updated = now
		})
		if b.attachments.txOf == nil {
			b.attachments.txOf = map[string]string{}
		}
		b.attachments.txOf[a.ID] = tx.ID
		return a.render(false), nil
	})
}

// deregisterAttachment removes userID's attachment id from its
// transaction.
func (b *bank) deregisterAttachment(userID, id string) *apiError {
	b.mu.Lock()
	defer b.unlock()
	notFoundErr := notFound("attachment", "Attachment not found", map[string]string{"id": id})
	tx, apiErr := b.annotatableTxLocked(userID, b.attachments.txOf[id])
	if apiErr != nil {
		return notFoundErr
	}
	i := slices.IndexFunc(tx.Attachments, func(a *attachment) bool { return a.ID == id })
	if i < 0 {
		return notFoundErr
	}
	b.updateTransactionLocked(tx, func(tx *transaction) {
		tx.Attachments = slices.Delete(slices.Clone(tx.Attachments), i, i+1) // copy on write
		if len(tx.Attachments) == 0 {
			tx.Attachments = nil // renders as null, as in real data
		}
		tx.Updated = b.now()
	})
	delete(b.attachments.txOf, id)
	return nil
}

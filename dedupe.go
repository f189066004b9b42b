package monzo

import (
	"crypto/rand"
	"encoding/base64"
)

// dedupeIDBytes is the entropy of a dedupe id: 128 bits, so two ids never
// collide in practice.
const dedupeIDBytes = 16

// NewDedupeID returns a fresh random dedupe id for a pot deposit or
// withdrawal ([PotDeposit.DedupeID], [PotWithdrawal.DedupeID]). It is 22
// URL-safe characters from crypto/rand.
//
// Generate one id per intended money movement, before the first attempt, and
// keep it: persist it next to the work item if the process may restart, and
// send the same id on every retry. Monzo moves money once per (pot,
// operation, dedupe id), so a retry after a timeout or a 5xx — when you
// cannot tell whether the first attempt went through — is then safe. A new id
// on retry could move the money twice.
func NewDedupeID() string {
	b := make([]byte, dedupeIDBytes)
	// crypto/rand.Read never returns an error (it panics if the system's
	// random source fails, which is unrecoverable anyway).
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

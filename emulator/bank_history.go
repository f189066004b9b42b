package emulator

import (
	"net/http"
	"time"
)

// The 5-minute / 90-day transaction history rule (docs/api-notes.md#history-window).
//
// For 5 minutes after the user approves a grant in the app (its sca_at), a
// client may list any part of the user's history. After that, GET
// /transactions must carry a since (a time, or a transaction id whose
// created time counts) no older than 90 days before now; anything else is
// 403 forbidden.verification_required. The window is tied to the grant's
// approval, so refreshing the token never reopens it; only a new login plus
// approval does.
//
// Choices the reference leaves open [E]:
//   - A since exactly 90 days old is still allowed; one a moment older is
//     refused (real users report 89 days working and 90 not, at day
//     granularity).
//   - before does not matter: a query with no since reaches back to the
//     start of history however it is bounded above.
//   - Only listing is gated. Reading one transaction by id
//     (GET /transactions/{id}) and annotating it (PATCH) are not: they do
//     not walk history, the reports of the rule concern listing only, and a
//     client resuming a sync needs to read the transaction it stopped at.
//     Balance, accounts and pots are unaffected too.

// checkHistoryLocked applies the rule to a list query of caller c. since is
// the query's lower bound (the created time of an id cursor), hasSince
// whether there was one. It returns nil when the query may proceed. Call
// with b.mu held.
func (b *bank) checkHistoryLocked(c caller, since time.Time, hasSince bool) *apiError {
	g := b.grantOfLocked(c)
	if g == nil {
		return errVerificationRequired("this access token has no approved grant")
	}
	now := b.now()
	oldest := g.oldestReadable(now)
	if oldest.IsZero() {
		return nil
	}
	if !hasSince {
		return errVerificationRequired("a list without since reaches back to the start of history")
	}
	if since.Before(oldest) {
		return errVerificationRequired("since " + formatTime(since) + " is older than 90 days (the oldest readable time is " + formatTime(oldest) + ")")
	}
	return nil
}

// errVerificationRequired is the 403 of the history rule.
func errVerificationRequired(why string) *apiError {
	return newAPIError(http.StatusForbidden, "forbidden.verification_required",
		"Verification required: more than 5 minutes have passed since access was approved, so only the last 90 days of transactions can be listed ("+
			why+"). Pass since within the last 90 days, or log in again and sync within 5 minutes of approving access in the app", nil)
}

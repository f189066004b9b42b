// Package monzo is a client for the Monzo developer API.
//
// A [Client] wraps every endpoint of the API as services grouped the way the
// Monzo documentation groups them: [AccountsService], [BalanceService],
// [PotsService], [TransactionsService], [FeedService], [AttachmentsService],
// [ReceiptsService] and [WebhooksService]. Every call takes a
// [context.Context], answers typed values and reports failures as [*Error],
// which can be matched with [errors.Is] against sentinels such as
// [ErrInsufficientPermissions] (the in-app approval is pending) or
// [ErrVerificationRequired] (the full-history window has closed).
//
// Access tokens come from a [TokenSource]. The oauth sub-package implements the
// authorization-code flow, refresh-token rotation and safe token storage; a
// bare token copied from the Monzo API playground works through [StaticToken].
//
// Amounts are int64 minor units ([Money], [FormatAmount], [ParseAmount]),
// never floats. Timestamps decode from RFC 3339 with or without fractional
// seconds, and the empty string means "not set" ([Timestamp]). Resources keep
// the raw JSON they were decoded from, so fields this package does not model
// yet are never lost.
package monzo

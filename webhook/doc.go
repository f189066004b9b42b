// Package webhook receives the events Monzo POSTs to registered webhook URLs.
//
// Monzo sends one kind of event, [TransactionCreated], whenever a transaction
// is created on an account that has a webhook (register one with
// monzo.WebhooksService.Create). Its data is the full transaction, merchant
// expanded, decoded here into a [monzo.Transaction]. Declined card payments
// fire it too: check the transaction's decline reason before treating it as
// money spent.
//
// Monzo does not sign its webhooks, so anyone who learns the URL can post to
// it. [Handler] protects the endpoint with a secret carried in the URL's query
// string ([GenerateSecret], [URLWithSecret]), compared in constant time, and can
// go further with [Options].Verify: fetch the transaction through the API
// ([VerifyWithClient]) and hand the user's function that copy rather than the
// posted one, so a forged body never reaches it.
//
// Monzo retries a delivery that does not get a 2xx answer, up to 5 attempts
// in all. [Handler] calls the user's function synchronously, with a timeout,
// and answers 500 when it fails so that Monzo delivers again; it answers 200
// without calling the function again for a transaction it has already handled.
//
// [NewTestEvent] and [NewTestRequest] build deliveries for testing a handler
// without Monzo.
//
// [Options] and [Handler] never print or log the secret. Every error text
// starts with "webhook: ", and bad options or arguments match
// monzo.ErrInvalidArgument under errors.Is.
package webhook

package monzo

// ReceiptsService attaches line-item receipts to transactions.
type ReceiptsService service

package monzo

// TransactionsService lists, reads and annotates transactions.
type TransactionsService service

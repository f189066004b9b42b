package monzo

// AttachmentsService uploads images and attaches them to transactions.
type AttachmentsService service

package monzo

// PotsService lists pots and moves money in and out of them.
type PotsService service

package monzo

// FeedService posts items to the user's feed in the Monzo app.
type FeedService service

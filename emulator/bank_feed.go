package emulator

import (
	"maps"
	"slices"
)

// createFeedItem posts item to its account's feed if the item's user owns
// the account.
func (b *bank) createFeedItem(item FeedItemRecord) *apiError {
	b.mu.Lock()
	defer b.unlock()
	if _, apiErr := b.accountForUser(item.UserID, item.AccountID); apiErr != nil {
		return apiErr
	}
	item.Created = b.now()
	if b.feed.byAccount == nil {
		b.feed.byAccount = map[string][]FeedItemRecord{}
	}
	b.feed.byAccount[item.AccountID] = append(b.feed.byAccount[item.AccountID], item)
	return nil
}

// FeedItems is the operation behind [Server.FeedItems].
func (b *bank) FeedItems(accountID string) []FeedItemRecord {
	b.mu.Lock()
	defer b.unlock()
	return b.feedItemsLocked(accountID)
}

func (b *bank) feedItemsLocked(accountID string) []FeedItemRecord {
	var src []FeedItemRecord
	if accountID != "" {
		src = b.feed.byAccount[accountID]
	} else {
		for _, id := range slices.Sorted(maps.Keys(b.feed.byAccount)) {
			src = append(src, b.feed.byAccount[id]...)
		}
	}
	out := make([]FeedItemRecord, 0, len(src))
	for _, item := range src {
		item.Params = maps.Clone(item.Params)
		out = append(out, item)
	}
	return out
}

package monzo

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/monzokit/monzo/internal/weburl"
)

// FeedService posts items to the user's feed in the Monzo app.
type FeedService service

// FeedItemType is the kind of a feed item. Monzo supports only
// [FeedItemTypeBasic] today; the type is open so new kinds need no release.
type FeedItemType string

// Known feed item types.
const (
	// FeedItemTypeBasic is an item with a title, an icon and an optional body.
	FeedItemTypeBasic FeedItemType = "basic"
)

// FeedItem is an item to post to an account's feed with [FeedService.Create].
type FeedItem struct {
	// AccountID is the account whose feed shows the item. Required.
	AccountID string
	// Type is the kind of item; empty means [FeedItemTypeBasic].
	Type FeedItemType
	// URL is opened when the user taps the item. Without it the app shows
	// a page built from the title and body.
	URL string
	// Params describes what the item looks like.
	Params BasicFeedParams
}

// BasicFeedParams are the parameters of a [FeedItemTypeBasic] item.
// Colours are hex strings of the form "#RRGGBB".
type BasicFeedParams struct {
	// Title is the item's headline. Required.
	Title string
	// ImageURL is the item's icon; animated GIFs work. Required.
	ImageURL string
	// Body is the text under the title.
	Body string
	// BackgroundColor is the item's background colour.
	BackgroundColor string
	// TitleColor is the title's colour.
	TitleColor string
	// BodyColor is the body's colour.
	BodyColor string
}

// Validate reports, without calling the API, every problem that would make
// Monzo refuse the item, or the app fail to show it: a missing account id,
// title or image URL, an image URL or URL that is not an absolute http(s)
// URL, or a colour that is not "#RRGGBB". The error matches
// [ErrInvalidArgument].
func (item FeedItem) Validate() error {
	var p problems
	p.required("AccountID", item.AccountID)
	p.required("Params.Title", item.Params.Title)
	p.requiredAs("Params.ImageURL", item.Params.ImageURL, "the item's icon")
	for _, u := range []struct{ name, value, example string }{
		{"Params.ImageURL", item.Params.ImageURL, "https://example.com/icon.png"},
		{"URL", item.URL, "https://example.com/details"},
	} {
		// The app fetches the icon and opens the link itself: a relative
		// or non-web URL would leave a broken item nobody can delete.
		if strings.TrimSpace(u.value) == "" {
			continue
		}
		if _, err := weburl.ParseAbsolute(u.value); err != nil {
			p.add("%s %q: %v (e.g. %s)", u.name, weburl.RedactQuery(u.value), err, u.example)
		}
	}
	for _, c := range []struct{ name, value string }{
		{"Params.BackgroundColor", item.Params.BackgroundColor},
		{"Params.TitleColor", item.Params.TitleColor},
		{"Params.BodyColor", item.Params.BodyColor},
	} {
		if c.value != "" && !isHexColor(c.value) {
			p.add("%s %q is not a colour of the form #RRGGBB (e.g. #FF4F40)", c.name, c.value)
		}
	}
	return p.err("feed item")
}

// isHexColor reports whether s is "#RRGGBB".
func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f', r >= 'A' && r <= 'F':
		default:
			return false
		}
	}
	return true
}

// form encodes the item the way POST /feed expects it.
func (item FeedItem) form() url.Values {
	typ := item.Type
	if typ == "" {
		typ = FeedItemTypeBasic
	}
	f := url.Values{}
	f.Set("account_id", item.AccountID)
	f.Set("type", string(typ))
	f.Set("params[title]", item.Params.Title)
	f.Set("params[image_url]", item.Params.ImageURL)
	for key, value := range map[string]string{
		"params[body]":             item.Params.Body,
		"params[background_color]": item.Params.BackgroundColor,
		"params[title_color]":      item.Params.TitleColor,
		"params[body_color]":       item.Params.BodyColor,
		"url":                      item.URL,
	} {
		if value != "" {
			f.Set(key, value)
		}
	}
	return f
}

// Create posts an item to an account's feed. The item is checked with
// [FeedItem.Validate] first.
//
// Creating a feed item is not idempotent, so Create is never retried, even
// after a 5xx or a dropped connection: a failed call may still have posted
// the item. Monzo offers no way to list or delete feed items.
func (s *FeedService) Create(ctx context.Context, item FeedItem) error {
	if err := item.Validate(); err != nil {
		return err
	}
	return s.client.do(ctx, request{method: http.MethodPost, path: "feed", form: item.form()}, nil)
}

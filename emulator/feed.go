package emulator

import (
	"net/http"
	"strings"
	"time"

	"github.com/monzokit/monzo/internal/weburl"
)

// Feed items (docs/api-notes.md#feed).
//
// Rules ([E] choices are marked):
//
//   - POST /feed reads a form body: account_id, type, params[...] and url.
//   - account_id is required (400 bad_request.missing_param.account_id) and
//     must name an account the caller owns (404 not_found.account).
//   - type is required (400 bad_request.missing_param.type); only "basic"
//     is supported (400 bad_request.bad_param.type otherwise).
//   - params[title] and params[image_url] are required (400
//     bad_request.missing_param.params[title] / .params[image_url]).
//   - [E] params[background_color], params[title_color] and
//     params[body_color] must be "#RRGGBB" when given (400
//     bad_request.bad_param.params[background_color] …).
//   - [E] url, when given, must be an absolute http(s) URL (400
//     bad_request.bad_param.url).
//   - The item is stored per account, with the client that posted it and
//     the time, and the answer is {}. Nothing in the API lists feed items;
//     tests read them with [Server.FeedItems] or GET /_emulator/feed.

// FeedItemRecord is a feed item posted with POST /feed, as the emulator
// recorded it.
type FeedItemRecord struct {
	AccountID string `json:"account_id"`
	// ClientID is the OAuth client that posted the item; UserID the user
	// it acted for.
	ClientID string `json:"client_id"`
	UserID   string `json:"user_id"`
	Type     string `json:"type"`
	// Params holds every params[key] sent, keyed without the brackets
	// ("title", "image_url", "body", …).
	Params map[string]string `json:"params"`
	URL    string            `json:"url,omitempty"`
	// Created is the emulator clock's time when the item was posted.
	Created time.Time `json:"created"`
}

// feedState holds the posted feed items. Its zero value is ready to use.
type feedState struct {
	// byAccount maps an account id to its items, oldest first.
	byAccount map[string][]FeedItemRecord
}

// feedColorParams are the optional colour params of a basic item.
var feedColorParams = []string{"background_color", "title_color", "body_color"}

// handleCreateFeedItem serves POST /feed.
func (s *Server) handleCreateFeedItem(w http.ResponseWriter, r *http.Request, c caller) {
	form, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	item := FeedItemRecord{
		AccountID: form.Get("account_id"),
		ClientID:  c.ClientID,
		UserID:    c.UserID,
		Type:      form.Get("type"),
		Params:    map[string]string{},
		URL:       form.Get("url"),
	}
	for key, values := range form {
		if name, ok := strings.CutPrefix(key, "params["); ok && strings.HasSuffix(name, "]") && len(values) > 0 {
			item.Params[strings.TrimSuffix(name, "]")] = values[0]
		}
	}
	if apiErr := validateFeedItem(item); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	respond(w, struct{}{}, s.bank.createFeedItem(item))
}

// validateFeedItem checks the fields that need no state.
func validateFeedItem(item FeedItemRecord) *apiError {
	switch {
	case item.AccountID == "":
		return missingParam("account_id")
	case item.Type == "":
		return missingParam("type")
	case item.Type != "basic":
		return badParam("type", "Unsupported feed item type '"+item.Type+"': only 'basic' is supported")
	case item.Params["title"] == "":
		return missingParam("params[title]")
	case item.Params["image_url"] == "":
		return missingParam("params[image_url]")
	}
	for _, name := range feedColorParams {
		if v, ok := item.Params[name]; ok && !isHexColor(v) {
			return badParam("params["+name+"]", "The field 'params["+name+"]' must be a colour of the form #RRGGBB, got '"+v+"'")
		}
	}
	if item.URL != "" && !weburl.Valid(item.URL) {
		return badParam("url", "The field 'url' must be an absolute http(s) URL")
	}
	return nil
}

// isHexColor reports whether v is "#RRGGBB".
func isHexColor(v string) bool {
	if len(v) != 7 || v[0] != '#' {
		return false
	}
	for _, r := range v[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// FeedItems returns the feed items posted to an account, oldest first ("" for
// every account, in no particular account order).
func (s *Server) FeedItems(accountID string) []FeedItemRecord { return s.bank.FeedItems(accountID) }

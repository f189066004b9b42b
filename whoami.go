package monzo

import (
	"context"
	"net/http"
)

// WhoAmI describes the access token in use.
type WhoAmI struct {
	Authenticated bool   `json:"authenticated"`
	ClientID      string `json:"client_id"`
	UserID        string `json:"user_id"`

	// Raw is the JSON the answer was decoded from.
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the answer and keeps its raw JSON.
func (w *WhoAmI) UnmarshalJSON(data []byte) error {
	type plain WhoAmI
	return decodeKeepingRaw(data, (*plain)(w), &w.Raw)
}

// WhoAmI asks the API who the access token belongs to. It works before the
// user has approved access in the Monzo app, so it tells a valid but
// unapproved token (data calls answer [ErrInsufficientPermissions]) apart
// from a bad one ([ErrBadAccessToken]).
func (c *Client) WhoAmI(ctx context.Context) (*WhoAmI, error) {
	var w WhoAmI
	if err := c.do(ctx, request{method: http.MethodGet, path: "ping/whoami", idempotent: true}, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

package monzo_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// TestErrorsNeverQuoteTheRequestsSecrets: a proxy (or a broken server)
// whose error answer echoes the request, Authorization header included,
// in an HTML page, a Monzo JSON message or its params, must not put the
// access token, or anything shaped like a secret, into the error: its text
// ends up in logs and on the terminal.
func TestErrorsNeverQuoteTheRequestsSecrets(t *testing.T) {
	srv := monzotest.NewServer(t)
	tok, err := srv.Login.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The bare token (as a header dump might show it), the bearer
	// credential, and form and JSON pairs a proxy could echo.
	echo := "GET /ping/whoami token " + tok.AccessToken + " Authorization: Bearer " + tok.AccessToken +
		" refresh_token=" + tok.RefreshToken + ` {"client_secret": "` + srv.Login.Config.ClientSecret + `"}`
	secrets := []string{tok.AccessToken, tok.RefreshToken, srv.Login.Config.ClientSecret}
	bodies := map[string]emulator.Fault{
		"html page":    {Status: http.StatusBadGateway, Body: "<html><body>" + echo + "</body></html>"},
		"long page":    {Status: http.StatusBadGateway, Body: strings.Repeat("x", 150) + echo}, // cut through the token
		"json message": {Status: http.StatusBadRequest, Body: fmt.Sprintf(`{"code":"bad_request","message":%q}`, echo), ContentType: "application/json"},
		"json params":  {Status: http.StatusBadRequest, Body: fmt.Sprintf(`{"code":"bad_request","message":"bad","params":{"echo":%q}}`, echo), ContentType: "application/json"},
	}
	for name, f := range bodies {
		t.Run(name, func(t *testing.T) {
			f.Path = "/ping/whoami"
			inject(t, srv, f)
			c := srv.NewClient(srv.Login, monzo.WithRetryPolicy(monzo.NoRetries()))
			_, err := c.WhoAmI(context.Background())
			var apiErr *monzo.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != f.Status {
				t.Fatalf("err = %v, want a %d *monzo.Error", err, f.Status)
			}
			text := fmt.Sprintf("%v %+v %#v", err, apiErr, apiErr.Params)
			for _, s := range secrets {
				if strings.Contains(text, s) || strings.Contains(text, s[:16]) {
					t.Errorf("the error quotes a secret (%.10s…): %s", s, text)
				}
			}
			if !strings.Contains(text, "[redacted]") {
				t.Errorf("the error does not show where the secret was: %s", text)
			}
		})
	}
}

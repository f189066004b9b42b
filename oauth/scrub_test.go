package oauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
)

// TestTokenEndpointErrorsNeverQuoteSecrets puts a server that echoes the
// request (body and Authorization header) into its error answers, in every
// place an error text can come from, in front of Exchange, Refresh and
// Logout: no secret of the request may reach the error.
func TestTokenEndpointErrorsNeverQuoteSecrets(t *testing.T) {
	const (
		clientSecret = "mnzconf.CLIENTSECRET+/=xyz"
		code         = "authzcode_CODESECRET"
		refresh      = "REFRESHSECRET-123"
		access       = "ACCESSSECRET-456"
	)
	secrets := []string{clientSecret, url.QueryEscape(clientSecret), code, refresh, access, "CLIENTSECRET", "CODESECRET", "REFRESHSECRET", "ACCESSSECRET"}
	shapes := map[string]func(w http.ResponseWriter, echo string){
		"json message": func(w http.ResponseWriter, echo string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"code": "bad_request", "message": "could not parse " + echo})
		},
		"oauth description": func(w http.ResponseWriter, echo string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]any{"error": "invalid_grant", "error_description": echo})
		},
		"params": func(w http.ResponseWriter, echo string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"code": "bad_request.bad_param", "message": "bad", "params": map[string]string{"body": echo}})
		},
		"html page": func(w http.ResponseWriter, echo string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html><body>upstream failed for request %s</body></html>", echo)
		},
		"json-shaped echo": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(http.StatusBadGateway)
			v, _ := url.ParseQuery(echo)
			m := map[string]string{}
			for k := range v {
				m[k] = v.Get(k)
			}
			b, _ := json.Marshal(m)
			w.Write(b[:len(b)-1]) // truncated: not a Monzo error, so it becomes an excerpt
		},
	}
	for name, shape := range shapes {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				echo := string(body)
				if a := r.Header.Get("Authorization"); a != "" {
					echo += " authorization: " + a
				}
				shape(w, echo)
			}))
			defer srv.Close()
			cfg := &oauth.Config{ClientID: "oauth2client_1", ClientSecret: clientSecret, RedirectURL: "http://127.0.0.1/cb", APIBaseURL: srv.URL, HTTPClient: srv.Client()}
			ctx := context.Background()
			_, exErr := cfg.Exchange(ctx, code, "s", "s")
			_, rfErr := cfg.Refresh(ctx, refresh)
			loErr := cfg.Logout(ctx, access)
			for call, err := range map[string]error{"Exchange": exErr, "Refresh": rfErr, "Logout": loErr} {
				var apiErr *monzo.Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s: %v, want a *monzo.Error", call, err)
				}
				text := err.Error() + fmt.Sprintf(" %+v %#v", *apiErr, apiErr.Params)
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s: the error quotes the secret %q: %s", call, s, text)
					}
				}
				if !strings.Contains(text, "[redacted]") {
					t.Errorf("%s: nothing was redacted, so the echo did not reach the error: %s", call, text)
				}
			}
		})
	}
}

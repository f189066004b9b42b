package oauth_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/monzokit/monzo/oauth"
)

// A Token prints and logs without its secrets when it is logged on its
// own, with either slog handler. Its JSON is the storage format and keeps
// them, so never log a struct holding a Token with the JSON handler; an
// oauth.Config, which is not a storage format, is redacted even there.
func ExampleToken_logging() {
	tok := oauth.Token{AccessToken: "acctok_secret", RefreshToken: "reftok_secret", UserID: "user_1"}
	cfg := oauth.Config{ClientID: "oauth2client_1", ClientSecret: "mnzconf.secret", RedirectURL: "http://127.0.0.1:8080/cb"}
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))

	fmt.Printf("%v\n", tok)
	log.Info("logged in", "token", tok)
	log.Info("config", "nested", struct{ Config oauth.Config }{cfg})

	stored, _ := json.Marshal(tok) // what a Store writes: everything
	fmt.Println(string(stored))
	// Output:
	// oauth.Token{AccessToken: [redacted], RefreshToken: [redacted], Expiry: unknown, UserID: "user_1", ClientID: "", Scope: "", TokenType: ""}
	// {"level":"INFO","msg":"logged in","token":{"access_token":"[redacted]","refresh_token":"[redacted]","user_id":"user_1"}}
	// {"level":"INFO","msg":"config","nested":{"Config":{"client_id":"oauth2client_1","client_secret":"[redacted]","redirect_url":"http://127.0.0.1:8080/cb","auth_url":"https://auth.monzo.com","api_base_url":"https://api.monzo.com"}}}
	// {"access_token":"acctok_secret","refresh_token":"reftok_secret","user_id":"user_1"}
}

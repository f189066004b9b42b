package root

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/historycmd"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// historyCommands are sync, export and report. Until the CLI has logins,
// sync reads an access token from MONZO_ACCESS_TOKEN (and the API's URL
// from MONZO_API_URL).
func historyCommands(ios *iostreams.IOStreams) []*cobra.Command {
	d := historycmd.Deps{IOStreams: ios, Client: func() (*monzo.Client, error) {
		tok := os.Getenv("MONZO_ACCESS_TOKEN")
		if tok == "" {
			return nil, errors.New("not logged in: set MONZO_ACCESS_TOKEN to an access token (e.g. from the Monzo API playground)")
		}
		opts := []monzo.Option{monzo.WithAccessToken(tok)}
		if u := os.Getenv("MONZO_API_URL"); u != "" {
			opts = append(opts, monzo.WithBaseURL(u))
		}
		return monzo.NewClient(opts...)
	}}
	return []*cobra.Command{
		historycmd.NewCmdSync(d, nil),
		historycmd.NewCmdExport(d, nil),
		historycmd.NewCmdReport(d, nil),
	}
}

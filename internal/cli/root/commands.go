package root

import (
	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/internal/cli/accounts"
	"github.com/monzokit/monzo/internal/cli/api"
	"github.com/monzokit/monzo/internal/cli/attachments"
	"github.com/monzokit/monzo/internal/cli/auth"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/demo"
	"github.com/monzokit/monzo/internal/cli/emulatorcmd"
	"github.com/monzokit/monzo/internal/cli/feed"
	"github.com/monzokit/monzo/internal/cli/historycmd"
	"github.com/monzokit/monzo/internal/cli/pots"
	"github.com/monzokit/monzo/internal/cli/receipts"
	"github.com/monzokit/monzo/internal/cli/transactions"
	"github.com/monzokit/monzo/internal/cli/webhooks"
)

// commands lists every subcommand, one line each. Packages that add
// commands (such as local history: sync, export, report) register here.
func commands(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{
		auth.NewCmdLogin(f, nil),
		auth.NewCmdLogout(f, nil),
		auth.NewCmdAuth(f),
		accounts.NewCmdWhoAmI(f, nil),
		accounts.NewCmdAccounts(f, nil),
		accounts.NewCmdBalance(f, nil),
		pots.NewCmdPots(f),
		transactions.NewCmdTransactions(f),
		feed.NewCmdFeed(f),
		attachments.NewCmdAttachments(f),
		receipts.NewCmdReceipts(f),
		webhooks.NewCmdWebhooks(f),
		api.NewCmdAPI(f, nil),
		emulatorcmd.NewCmdEmulator(f, nil),
		historycmd.NewCmdSync(f, nil),
		historycmd.NewCmdExport(f, nil),
		historycmd.NewCmdReport(f, nil),
		demo.NewCmd(f.IOStreams, nil),
	}
}

package webhooks_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/cli/webhooks"
)

func TestWebhooksAddListRemove(t *testing.T) {
	e := clitest.New(t)
	acct := e.Srv.AccountID(monzo.AccountTypeRetail)
	var wh monzo.Webhook
	res := e.MustRun("webhooks", "add", "https://example.com/hook?token=s3cret", "--json")
	if err := json.Unmarshal([]byte(res.Out), &wh); err != nil {
		t.Fatal(err)
	}
	if wh.AccountID != acct || wh.URL != "https://example.com/hook?token=s3cret" {
		t.Errorf("added %+v", wh)
	}
	if hooks := e.Srv.Emulator.Webhooks(); len(hooks) != 1 {
		t.Fatalf("emulator has %d webhooks", len(hooks))
	}
	e.TTY = true
	list := e.MustRun("webhooks", "list").Out
	if strings.Contains(list, "s3cret") {
		t.Errorf("webhooks list shows the URL's secret:\n%s", list)
	}
	e.Golden("list", list)
	e.MustRun("webhooks", "remove", wh.ID)
	if hooks := e.Srv.Emulator.Webhooks(); len(hooks) != 0 {
		t.Errorf("emulator still has %d webhooks", len(hooks))
	}
}

func TestWebhooksBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"webhooks", "add", "example.com/hook?token=s3cr3t-token"},
		{"webhooks", "add", "ftp://example.com/hook"},
		{"webhooks", "add"},
		{"webhooks", "remove"},
		{"webhooks", "listen", "--addr", "256.0.0.1:99999"},
	} {
		before := e.Requests()
		res := e.Run(args...)
		if res.Code != 2 {
			t.Errorf("monzo %q: exit %d, want 2\n%s", args, res.Code, res.Err)
		}
		if strings.Contains(res.Err, "s3cr3t-token") {
			t.Errorf("monzo %q printed the webhook's secret:\n%s", args, res.Err)
		}
		// listen resolves the account before it binds.
		if n := e.Requests() - before; n != 0 && args[1] != "listen" {
			t.Errorf("monzo %q sent %d requests", args, n)
		}
	}
	if n := len(e.Srv.Emulator.Webhooks()); n != 0 {
		t.Errorf("bad input registered %d webhooks", n)
	}
}

// TestWebhooksListenPrintsEventsAsTheyArrive registers a local receiver,
// injects a card payment and reads the event from the command's output;
// on Ctrl-C the webhook is removed again.
func TestWebhooksListenPrintsEventsAsTheyArrive(t *testing.T) {
	e := clitest.New(t)
	out, errOut := &clitest.SyncBuffer{}, &clitest.SyncBuffer{}
	ios, _, _, _ := iostreams.Test()
	ios.Out, ios.ErrOut = out, errOut
	f := e.Factory(ios)
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	cmd := webhooks.NewCmdListen(f, func(ctx context.Context, o *webhooks.ListenOptions) error {
		o.Ready = func(u string) { ready <- u }
		return webhooks.RunListen(ctx, o)
	})
	cmd.SetArgs([]string{})
	go func() { done <- cmd.ExecuteContext(ctx) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("listen ended early: %v\n%s", err, errOut)
	}
	if n := len(e.Srv.Emulator.Webhooks()); n != 1 {
		t.Fatalf("listen registered %d webhooks, want 1", n)
	}
	txID, err := e.Srv.Emulator.InjectCardPayment(emulator.CardPayment{
		AccountID: e.Srv.AccountID(monzo.AccountTypeRetail), Amount: 450, MerchantName: "Pret A Manger"})
	if err != nil {
		t.Fatal(err)
	}
	dctx, dcancel := context.WithTimeout(ctx, 30*time.Second)
	defer dcancel()
	deliveries, err := e.Srv.Emulator.WaitDeliveries(dctx, 1)
	if err != nil {
		t.Fatalf("no delivery: %v\n%s", err, errOut)
	}
	if d := deliveries[0]; d.StatusCode != 200 {
		t.Fatalf("delivery answered %+v", d)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("listen: %v", err)
	}
	if !strings.Contains(out.String(), txID) || !strings.Contains(out.String(), "-4.50 GBP") || !strings.Contains(out.String(), "Pret A Manger") {
		t.Errorf("output lacks the event for %s:\n%s", txID, out)
	}
	if n := len(e.Srv.Emulator.Webhooks()); n != 0 {
		t.Errorf("%d webhooks left after stopping", n)
	}
}

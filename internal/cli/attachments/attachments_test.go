package attachments_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
)

// png is a 1×1 PNG.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func lastTx(t *testing.T, e *clitest.Env) string {
	t.Helper()
	page, err := e.Srv.Client.Transactions.List(context.Background(), e.Srv.AccountID(monzo.AccountTypeRetail), &monzo.TransactionListOptions{Since: e.Srv.Clock.Now().AddDate(0, 0, -3)})
	if err != nil || len(page) == 0 {
		t.Fatalf("no recent transaction: %v", err)
	}
	return page[len(page)-1].ID
}

func TestAttachmentsAddAndRemove(t *testing.T) {
	e := clitest.New(t)
	tx := lastTx(t, e)
	file := filepath.Join(t.TempDir(), "receipt.png")
	if err := os.WriteFile(file, png, 0o600); err != nil {
		t.Fatal(err)
	}
	var att monzo.Attachment
	res := e.MustRun("attachments", "add", tx, file, "--json")
	if err := json.Unmarshal([]byte(res.Out), &att); err != nil {
		t.Fatalf("%v\n%s", err, res.Out)
	}
	if att.ExternalID != tx || att.FileType != "image/png" {
		t.Errorf("attachment %+v", att)
	}
	got, err := e.Srv.Client.Transactions.Get(context.Background(), tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].ID != att.ID {
		t.Fatalf("transaction's attachments %+v, want %s", got.Attachments, att.ID)
	}
	if ups := e.Srv.Emulator.UploadRequests(); len(ups) != 1 {
		t.Errorf("%d uploads, want 1", len(ups))
	}
	e.Golden("remove", e.MustRun("attachments", "remove", att.ID).Out)
	got, _ = e.Srv.Client.Transactions.Get(context.Background(), tx, nil)
	if len(got.Attachments) != 0 {
		t.Errorf("attachment still there after remove: %+v", got.Attachments)
	}
}

func TestAttachmentsBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"attachments", "add", "tx_1", filepath.Join(dir, "missing.png")},
		{"attachments", "add", "tx_1", dir},
		{"attachments", "add", "tx_1"},
		{"attachments", "remove"},
	} {
		res := e.Refused(args...)
		if !strings.Contains(res.Err, "hint:") {
			t.Errorf("monzo %q: no hint:\n%s", args, res.Err)
		}
	}
}

package export_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/export"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// Export a month of groceries as CSV with chosen columns.
func ExampleWrite() {
	ctx := context.Background()
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "export")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := sqlitestore.Open(ctx, filepath.Join(dir, "history.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if _, err := (&history.Syncer{Client: srv.Client, Store: st, Now: srv.Clock.Now}).Sync(ctx, history.Options{}); err != nil {
		log.Fatal(err)
	}

	var out strings.Builder
	res, err := export.Write(ctx, &out, st, export.Options{
		Format:  export.CSV,
		Columns: []string{"created", "amount", "currency", "payee"},
		Filter: sqlitestore.Filter{
			Categories: []string{"groceries"},
			Since:      time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Before:     time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	header, _, _ := strings.Cut(out.String(), "\r\n")
	fmt.Println(header)
	fmt.Println(res.Transactions > 0)
	// Output:
	// created,amount,currency,payee
	// true
}

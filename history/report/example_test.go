package report_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/report"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// Build a report of one year from local history and write it as HTML.
func ExampleBuild() {
	ctx := context.Background()
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "report")
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

	r, err := report.Build(ctx, st, report.Options{
		Since:  time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Before: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Currency, len(r.Months), "months")
	fmt.Println(r.Spending > 0, r.Income > 0)

	f, err := os.Create(filepath.Join(dir, "report.html"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := r.WriteHTML(f); err != nil {
		log.Fatal(err)
	}
	// Output:
	// GBP 12 months
	// true true
}

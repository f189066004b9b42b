package history_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// Sync a user's whole history into a SQLite file straight after login,
// while Monzo still allows reading all of it.
func Example() {
	ctx := context.Background()
	srv, err := monzotest.Start() // a logged-in client on the emulator
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "history")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	st, err := sqlitestore.Open(ctx, filepath.Join(dir, "history.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	syncer := &history.Syncer{Client: srv.Client, Store: st, Now: srv.Clock.Now}
	res, err := syncer.Sync(ctx, history.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range res.Accounts {
		fmt.Printf("%s: full history %v, window closed %v\n", a.Account.Type, a.State.Full, a.WindowClosed)
	}

	// Later syncs read what is new plus the last 14 days again.
	res, err = syncer.Sync(ctx, history.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new on the second sync:", res.Counts().New)
	// Output:
	// uk_retail: full history true, window closed false
	// uk_retail_joint: full history true, window closed false
	// new on the second sync: 0
}

// After the 5-minute window has closed, a sync keeps what it can read and
// says how far back history reaches.
func ExampleAccountResult_Reach() {
	ctx := context.Background()
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "history")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := sqlitestore.Open(ctx, filepath.Join(dir, "history.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	srv.Clock.Advance(10 * time.Minute) // the full-history window has closed
	res, err := (&history.Syncer{Client: srv.Client, Store: st, Now: srv.Clock.Now}).Sync(ctx, history.Options{})
	if err != nil {
		log.Fatal(err)
	}
	a := res.Accounts[0]
	fmt.Println(a.WindowClosed)
	fmt.Println(a.Reach())
	// Output:
	// true
	// complete from 2025-12-03; older history needs a full sync: run `monzo login`, approve access in the Monzo app, then `monzo sync --full` within 5 minutes
}

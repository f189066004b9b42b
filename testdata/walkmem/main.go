// Command walkmem walks a history with the library and nothing else, and
// prints its own peak resident memory: TestWalkMemory (memory_test.go)
// builds and runs it against its page server when MONZO_WALK_BINARY=1, so
// the figure is not inflated by the test binary's code.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/monzokit/monzo"
)

func main() {
	base := flag.String("url", "", "base URL of the page server")
	account := flag.String("account", "", "account id")
	since := flag.Int64("since", 0, "start of the history, Unix nanoseconds (Backfill)")
	backfill := flag.Bool("backfill", false, "walk with Backfill instead of All")
	flag.Parse()

	c, err := monzo.NewClient(monzo.WithBaseURL(*base), monzo.WithHTTPClient(&http.Client{Transport: &http.Transport{}}), monzo.WithAccessToken("t"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := context.Background()
	walk := c.Transactions.All(ctx, *account, &monzo.TransactionListOptions{ExpandMerchant: true})
	if *backfill {
		walk = c.Transactions.Backfill(ctx, *account, &monzo.BackfillOptions{Since: time.Unix(0, *since), ExpandMerchant: true})
	}
	n, sum := 0, int64(0)
	for tx, err := range walk {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		n++
		sum += tx.Amount
	}
	fmt.Printf("%d %d %d %d\n", n, status("VmHWM"), status("RssFile"), sum)
}

// status reads one "Name: N kB" line of /proc/self/status (0 elsewhere).
func status(name string) int64 {
	data, _ := os.ReadFile("/proc/self/status")
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte(name+":")); ok {
			kb, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return kb
		}
	}
	return 0
}

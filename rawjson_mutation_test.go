package monzo_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
)

// "%#v" shows the JSON text as a Go expression, and tells a nil RawJSON
// (a field that was never set) from one holding text, even empty text.
func TestRawJSONGoStringShowsTheText(t *testing.T) {
	for _, c := range []struct {
		raw  monzo.RawJSON
		want string
	}{
		{nil, `monzo.RawJSON(nil)`},
		{monzo.RawJSON{}, `monzo.RawJSON("")`},
		{monzo.RawJSON(`{"id":"tx_1"}`), `monzo.RawJSON("{\"id\":\"tx_1\"}")`},
	} {
		if got := fmt.Sprintf("%#v", c.raw); got != c.want {
			t.Errorf("%%#v of %q = %s, want %s", []byte(c.raw), got, c.want)
		}
	}
	// Within a resource, too: the raw JSON is the one thing "%#v" of a
	// decoded object must not hide.
	tx := monzo.Transaction{Raw: monzo.RawJSON(`{"id":"tx_1"}`)}
	if out := fmt.Sprintf("%#v", tx); !strings.Contains(out, `monzo.RawJSON("{\"id\":\"tx_1\"}")`) {
		t.Errorf("%%#v of a transaction does not show its raw JSON: %s", out)
	}
}

package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// Where an amount may be zero or negative (an item's tax, an injected
// payment), "0" and plain negative and multi-digit spellings are taken: the
// leading-zero rule refuses "01" and "-01", never a lone "0".
func TestZeroAndSignedAmountsAreTakenWhereAllowed(t *testing.T) {
	f := newPotsFixture(t)
	n := 10_000
	for _, site := range amountSites(f) {
		if !strings.HasPrefix(site.name, "receipt items") && !strings.HasPrefix(site.name, "receipt taxes") && !strings.HasPrefix(site.name, "receipt payments") {
			continue
		}
		for _, literal := range []string{"0", "-7", "10", "-10", "250"} {
			n++
			if r := site.send(f, literal, n); r.status/100 != 2 {
				t.Errorf("%s = %s: status %d %s, want success", site.name, literal, r.status, r.body)
			} else if !site.moved(f, n) {
				t.Errorf("%s = %s succeeded but nothing changed", site.name, literal)
			}
		}
		for _, literal := range []string{"00", "-01"} {
			n++
			if !site.json {
				t.Fatalf("%s: the table expects JSON sites", site.name)
			}
			// Not JSON numbers: the body is refused before the rule.
			wantError(t, site.send(f, literal, n), http.StatusBadRequest, "bad_request.bad_body")
		}
	}
}

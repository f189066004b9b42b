// Package redact is how every package of this module shows a secret it
// must not print: the same placeholder, and the same fmt plumbing so that
// no verb can slip past a type's redacted description.
package redact

import (
	"fmt"
	"io"
	"strconv"
)

// Placeholder stands in for a secret in any output.
const Placeholder = "[redacted]"

// State says whether a secret is set without showing it: "none" or
// [Placeholder].
func State(secret string) string {
	if secret == "" {
		return "none"
	}
	return Placeholder
}

// Format writes description, which must hold no secret, for every verb
// (quoted for %q). A type holding a secret calls it from its Format
// method: writing the same text whatever the verb matters, because fmt
// prints a string-kinded value it has no method for (under %d, say) with
// its contents.
func Format(f fmt.State, verb rune, description string) {
	if verb == 'q' {
		description = strconv.Quote(description)
	}
	_, _ = io.WriteString(f, description)
}

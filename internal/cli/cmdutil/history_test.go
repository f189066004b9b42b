package cmdutil_test

import (
	"errors"
	"testing"

	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// The default history database follows the factory's environment (never
// the process's), as the XDG base directory spec says.
func TestHistoryDBPath(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_DATA_HOME": "/data", "HOME": "/home/sam"}, "/data/monzo/history.db"},
		{map[string]string{"XDG_DATA_HOME": "relative", "HOME": "/home/sam"}, "/home/sam/.local/share/monzo/history.db"},
		{map[string]string{"HOME": "/home/sam"}, "/home/sam/.local/share/monzo/history.db"},
	} {
		ios, _, _, _ := iostreams.Test()
		f := cmdutil.New(ios, func(k string) string { return c.env[k] })
		if got, err := f.HistoryDBPath(""); err != nil || got != c.want {
			t.Errorf("%v: %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.New(ios, func(string) string { return "" })
	var ue *cmdutil.UsageError
	if _, err := f.HistoryDBPath(""); !errors.As(err, &ue) || ue.Hint == "" {
		t.Errorf("without HOME or XDG_DATA_HOME: %v, want a usage error with a hint", err)
	}
}

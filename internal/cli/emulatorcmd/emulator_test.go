package emulatorcmd_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/emulatorcmd"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

func TestEmulatorPrintsALoginLineThatWorks(t *testing.T) {
	e := clitest.New(t)
	ios, _, out, _ := iostreams.Test()
	f := e.Factory(ios)
	ready := make(chan *emulator.Running, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := emulatorcmd.NewCmdEmulator(f, func(ctx context.Context, o *emulatorcmd.Options) error {
		o.Ready = func(r *emulator.Running) { ready <- r }
		return emulatorcmd.Run(ctx, o)
	})
	cmd.SetArgs([]string{"--seed", "7", "--fake-clock"})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	var r *emulator.Running
	select {
	case r = <-ready:
	case err := <-done:
		t.Fatalf("emulator ended: %v", err)
	}
	if r.Server.Seed() != 7 {
		t.Errorf("seed %d, want 7", r.Server.Seed())
	}
	if err := r.Server.AdvanceClock(1); err != nil {
		t.Errorf("--fake-clock: %v", err)
	}
	resp, err := http.Get(r.URL + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"monzo login --emulator " + r.URL + " --profile emulator", "curl -X POST " + r.URL + "/_emulator/approve"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

func TestEmulatorBadFlags(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"emulator", "--seed", "x"},
		{"emulator", "--auto-approve", "-1s"},
		{"emulator", "--addr", "not-an-address"},
	} {
		if res := e.Run(args...); res.Code != 2 {
			t.Errorf("monzo %q: exit %d, want 2\n%s", args, res.Code, res.Err)
		}
	}
}

// A taken port says so and what to do, rather than only pointing at --help.
func TestEmulatorAddressInUse(t *testing.T) {
	e := clitest.New(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	res := e.Run("emulator", "--addr", l.Addr().String())
	if res.Code != 2 || !strings.Contains(res.Err, "already listens on "+l.Addr().String()) || !strings.Contains(res.Err, "port 0") {
		t.Errorf("emulator on a taken port: exit %d\n%s", res.Code, res.Err)
	}
}

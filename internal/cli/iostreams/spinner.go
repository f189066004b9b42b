package iostreams

import (
	"fmt"
	"sync"
	"time"
)

// Spinner shows progress on stderr while something is waited for. It only
// animates when stderr is a terminal; otherwise it prints its message once,
// so piped output and logs stay clean.
type Spinner struct {
	ios  *IOStreams
	msg  string
	stop chan struct{}
	done sync.WaitGroup
	once sync.Once
}

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// StartSpinner prints msg and, on a terminal, animates a spinner before it
// until Stop is called.
func (s *IOStreams) StartSpinner(msg string) *Spinner {
	sp := &Spinner{ios: s, msg: msg, stop: make(chan struct{})}
	if !s.IsStderrTTY() {
		fmt.Fprintln(s.ErrOut, msg)
		return sp
	}
	sp.done.Add(1)
	go func() {
		defer sp.done.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(s.ErrOut, "\r%s %s", spinnerFrames[i%len(spinnerFrames)], msg)
			select {
			case <-sp.stop:
				fmt.Fprint(s.ErrOut, "\r\x1b[K")
				return
			case <-t.C:
			}
		}
	}()
	return sp
}

// Stop ends the animation and clears its line. It is safe to call twice.
func (sp *Spinner) Stop() {
	sp.once.Do(func() {
		close(sp.stop)
		sp.done.Wait()
	})
}

package webhook

import (
	"container/list"
	"sync"
	"time"
)

// seenSet remembers which events were handled, so a redelivery is answered
// without calling the user's function again. It is bounded in size (the
// oldest entries go first) and in time (entries older than the window are
// forgotten). Events being handled right now are tracked too: a
// concurrent redelivery waits for the first delivery's outcome.
type seenSet struct {
	mu     sync.Mutex
	size   int
	window time.Duration
	now    func() time.Time
	order  *list.List // of *seenEntry, most recently handled first
	byKey  map[string]*list.Element
}

type seenEntry struct {
	key  string
	at   time.Time
	done chan struct{} // closed when the handling finishes
	ok   bool          // set before done is closed
}

func newSeenSet(size int, window time.Duration, now func() time.Time) *seenSet {
	return &seenSet{size: size, window: window, now: now, order: list.New(), byKey: map[string]*list.Element{}}
}

// begin claims key. It returns fresh=true with an entry the caller must
// finish, or fresh=false with the entry of an earlier delivery (finished, or
// still running: wait on its done channel).
func (s *seenSet) begin(key string) (e *seenEntry, fresh bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if el, ok := s.byKey[key]; ok {
		return el.Value.(*seenEntry), false
	}
	e = &seenEntry{key: key, at: now, done: make(chan struct{})}
	s.byKey[key] = s.order.PushFront(e)
	for s.order.Len() > s.size {
		s.remove(s.order.Back())
	}
	return e, true
}

// finish records the outcome. A failed event is forgotten so that Monzo's
// retry is handled afresh.
func (s *seenSet) finish(e *seenEntry, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ok = ok
	if el, present := s.byKey[e.key]; present && el.Value.(*seenEntry) == e {
		if ok {
			e.at = s.now()
			s.order.MoveToFront(el)
		} else {
			s.remove(el)
		}
	}
	close(e.done)
}

// expire drops finished entries older than the window. The list is ordered
// by the time each entry was handled, so it stops at the first recent one.
func (s *seenSet) expire(now time.Time) {
	for el := s.order.Back(); el != nil; {
		e := el.Value.(*seenEntry)
		if now.Sub(e.at) < s.window {
			return
		}
		prev := el.Prev()
		select {
		case <-e.done:
			s.remove(el)
		default: // still running; its finish will refresh it
		}
		el = prev
	}
}

func (s *seenSet) remove(el *list.Element) {
	s.order.Remove(el)
	delete(s.byKey, el.Value.(*seenEntry).key)
}

// len reports how many events are remembered.
func (s *seenSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

package webhook

import (
	"container/list"
	"sync"
	"time"
)

// seenSet remembers which events were handled, so a redelivery is answered
// without calling the user's function again. Handled events are bounded in
// number (the oldest go first) and in time (entries older than the window
// are forgotten). Events being handled right now are tracked apart and are
// never evicted, however many there are (design choice: the set may exceed
// its size while more events than that are in flight, rather than let a
// redelivery run the user's function a second time, concurrently with the
// first); a concurrent redelivery waits for the first delivery's outcome.
type seenSet struct {
	mu       sync.Mutex
	size     int
	window   time.Duration
	now      func() time.Time
	inFlight map[string]*seenEntry // being handled; never evicted
	order    *list.List            // of *seenEntry, handled successfully, most recent first
	byKey    map[string]*list.Element
}

type seenEntry struct {
	key  string
	at   time.Time
	done chan struct{} // closed when the handling finishes
	ok   bool          // set before done is closed
}

func newSeenSet(size int, window time.Duration, now func() time.Time) *seenSet {
	return &seenSet{size: size, window: window, now: now, inFlight: map[string]*seenEntry{}, order: list.New(), byKey: map[string]*list.Element{}}
}

// begin claims key. It returns fresh=true with an entry the caller must
// finish, or fresh=false with the entry of an earlier delivery (finished, or
// still running: wait on its done channel).
func (s *seenSet) begin(key string) (e *seenEntry, fresh bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(s.now())
	if e, ok := s.inFlight[key]; ok {
		return e, false
	}
	if el, ok := s.byKey[key]; ok {
		return el.Value.(*seenEntry), false
	}
	e = &seenEntry{key: key, at: s.now(), done: make(chan struct{})}
	s.inFlight[key] = e
	return e, true
}

// finish records the outcome. A handled event is remembered (evicting the
// oldest handled ones beyond the size); a failed one is forgotten, so that
// Monzo's retry is handled afresh.
func (s *seenSet) finish(e *seenEntry, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ok = ok
	if s.inFlight[e.key] == e {
		delete(s.inFlight, e.key)
		if ok {
			e.at = s.now()
			s.byKey[e.key] = s.order.PushFront(e)
			for s.order.Len() > s.size {
				s.remove(s.order.Back())
			}
		}
	}
	close(e.done)
}

// expire drops handled entries older than the window. The list is ordered
// by the time each entry was handled, so it stops at the first recent one.
func (s *seenSet) expire(now time.Time) {
	for el := s.order.Back(); el != nil; el = s.order.Back() {
		if now.Sub(el.Value.(*seenEntry).at) < s.window {
			return
		}
		s.remove(el)
	}
}

func (s *seenSet) remove(el *list.Element) {
	s.order.Remove(el)
	delete(s.byKey, el.Value.(*seenEntry).key)
}

// len reports how many events are remembered or in flight.
func (s *seenSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len() + len(s.inFlight)
}

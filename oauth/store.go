package oauth

import (
	"context"
	"sync"
)

// Store keeps one user's token between runs. Implementations must be safe
// for concurrent use.
//
// Because Monzo refresh tokens are single-use, Save must be atomic: after it
// returns nil, a crash must leave either the old token or the new one, never
// a torn file. Stores shared between processes should also implement
// [Locker], so that only one process refreshes at a time.
type Store interface {
	// Load returns the stored token, or an error matching [ErrNoToken] when
	// there is none. Callers must not modify the returned token.
	Load(ctx context.Context) (*Token, error)
	// Save replaces the stored token with tok, atomically.
	Save(ctx context.Context, tok *Token) error
	// Delete removes the stored token. Deleting when nothing is stored is not
	// an error.
	Delete(ctx context.Context) error
}

// Locker is implemented by stores that can exclude other users of the same
// storage (other processes, other [TokenSource]s) while a token is
// refreshed. [TokenSource] holds the lock across "re-read, refresh, save".
type Locker interface {
	// Lock blocks until the lock is held or ctx is done, and returns the
	// function that releases it.
	Lock(ctx context.Context) (unlock func() error, err error)
}

// MemoryStore is a [Store] and [Locker] that keeps the token in memory: for
// tests, and for programs that get a token at start-up and need nothing
// kept. Tokens are lost when the process exits.
type MemoryStore struct {
	mu   sync.Mutex
	tok  *Token
	lock chan struct{}
}

// NewMemoryStore returns a MemoryStore holding a copy of tok, or nothing if
// tok is nil.
func NewMemoryStore(tok *Token) *MemoryStore {
	return &MemoryStore{tok: tok.clone(), lock: make(chan struct{}, 1)}
}

// Load returns a copy of the stored token, or [ErrNoToken].
func (s *MemoryStore) Load(context.Context) (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == nil {
		return nil, ErrNoToken
	}
	return s.tok.clone(), nil
}

// Save stores a copy of tok.
func (s *MemoryStore) Save(_ context.Context, tok *Token) error {
	if tok == nil {
		return errNilToken
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tok = tok.clone()
	return nil
}

// Delete forgets the token.
func (s *MemoryStore) Delete(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tok = nil
	return nil
}

// Lock takes the store's refresh lock, waiting until it is free or ctx is
// done.
func (s *MemoryStore) Lock(ctx context.Context) (func() error, error) {
	if err := acquire(ctx, s.lockChan()); err != nil {
		return nil, err
	}
	return onceUnlock(func() error { <-s.lockChan(); return nil }), nil
}

func (s *MemoryStore) lockChan() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock == nil { // a zero MemoryStore is usable
		s.lock = make(chan struct{}, 1)
	}
	return s.lock
}

// acquire takes a one-slot channel used as a context-aware mutex.
func acquire(ctx context.Context, ch chan struct{}) error {
	select {
	case ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// onceUnlock makes an unlock function safe to call more than once.
func onceUnlock(unlock func() error) func() error {
	var once sync.Once
	var err error
	return func() error {
		once.Do(func() { err = unlock() })
		return err
	}
}

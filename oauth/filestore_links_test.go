package oauth_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gofrs/flock"
	"github.com/monzokit/monzo/oauth"
)

// symlinkedTokenPath makes dir/real/token.json's directory and a link
// dir/link.json pointing at it (the target does not exist yet, as on a
// fresh machine whose dotfiles are links). It returns (link, target).
func symlinkedTokenPath(t *testing.T) (string, string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "real", "token.json")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join("real", "token.json"), link); err != nil {
		t.Fatal(err)
	}
	return link, target
}

// TestFileStoreSymlinkKeepsTheRefreshChain alternates refreshes between a
// store opened through a symbolic link and one opened through its target:
// both must read, write and lock the same file, and the link must stay a
// link.
func TestFileStoreSymlinkKeepsTheRefreshChain(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	link, target := symlinkedTokenPath(t)

	viaLink, err := oauth.NewFileStore(link)
	if err != nil {
		t.Fatal(err)
	}
	viaTarget, err := oauth.NewFileStore(target)
	if err != nil {
		t.Fatal(err)
	}
	if viaLink.Path() != viaTarget.Path() {
		t.Errorf("Path through the link = %s, through the target = %s; want the same file", viaLink.Path(), viaTarget.Path())
	}
	if err := viaLink.Save(ctx, e.login(cfg)); err != nil {
		t.Fatal(err)
	}

	stores := []*oauth.FileStore{viaLink, viaTarget, viaLink, viaTarget}
	var last string
	for i, s := range stores {
		e.clock.Advance(ttl + 1) // every stored token has expired
		ts, err := oauth.NewTokenSource(cfg, s)
		if err != nil {
			t.Fatal(err)
		}
		who, err := e.apiClient(ts).WhoAmI(ctx)
		if err != nil {
			t.Fatalf("call %d through %s: %v", i, s.Path(), err)
		}
		if !who.Authenticated {
			t.Fatalf("call %d: not authenticated", i)
		}
		tok, err := viaTarget.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken == last {
			t.Fatalf("call %d: the target file was not updated by the refresh", i)
		}
		last = tok.AccessToken
	}
	if n := e.server.get("refresh_token"); n != len(stores) {
		t.Fatalf("%d refreshes, want %d (one per call)", n, len(stores))
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v, %v", fi, err)
	}

	// Both stores lock the target's lock file.
	unlock, err := viaLink.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := flock.New(target + ".lock")
	if ok, err := other.TryLock(); err != nil || ok {
		t.Fatalf("TryLock on the target's lock while the link's store holds its lock = %v, %v; want false", ok, err)
	}
	unlock()
	if ok, err := other.TryLock(); err != nil || !ok {
		t.Fatalf("TryLock after unlock = %v, %v", ok, err)
	}
	other.Close()
}

// TestTwoProcessesThroughLinkAndTarget runs the two-process refresh race
// with one process using the link and the other its target.
func TestTwoProcessesThroughLinkAndTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	link, target := symlinkedTokenPath(t)
	runTwoProcesses(t, [2]string{link, target})
}

// TestFileStoreRemovesStaleTempFiles plants the temporary files a killed
// Save leaves behind and checks that the next Save (with or without the
// lock held) and Delete remove them, while files of other names stay.
func TestFileStoreRemovesStaleTempFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	s, _ := oauth.NewFileStore(path)
	plant := func() []string {
		var names []string
		for _, n := range []string{".token.json.tmp-123", ".token.json.tmp-abc"} {
			if err := os.WriteFile(filepath.Join(dir, n), []byte(`{"access_token":"SECRET"}`), 0o600); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		return names
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	left := func(when string) {
		t.Helper()
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("%s: %s is still there", when, e.Name())
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
			t.Errorf("%s: an unrelated file was removed: %v", when, err)
		}
	}

	plant()
	if err := s.Save(ctx, oauth.BareToken("one")); err != nil {
		t.Fatal(err)
	}
	left("after a Save without the lock")

	plant()
	unlock, err := s.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, oauth.BareToken("two")); err != nil {
		t.Fatal(err)
	}
	unlock()
	left("after a Save under the store's lock")

	plant()
	if err := s.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	left("after Delete")

	// While another holder has the lock, its Save may be writing a
	// temporary file: a Save without the lock leaves them alone.
	names := plant()
	other := flock.New(path + ".lock")
	if ok, err := other.TryLock(); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if err := s.Save(ctx, oauth.BareToken("three")); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s was removed while another holder had the lock: %v", n, err)
		}
	}
	other.Close()
}

// TestFileStoreFailedSaveLeavesNoTempFile forces Save to fail after its
// temporary file is written (the token path is a non-empty directory, so
// the rename fails) and checks that no copy of the token is left behind.
func TestFileStoreFailedSaveLeavesNoTempFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	if err := os.MkdirAll(filepath.Join(path, "blocker"), 0o700); err != nil {
		t.Fatal(err)
	}
	s, _ := oauth.NewFileStore(path)
	tok := oauth.BareToken("SECRET-access")
	if err := s.Save(ctx, tok); err == nil {
		t.Fatal("Save over a directory succeeded")
	} else if strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("the error quotes the token: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "token.json" {
			t.Errorf("a failed Save left %s behind", e.Name())
		}
	}
}

func TestNewFileStoreRefusesALinkLoop(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	if err := os.Symlink(b, a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	_, err := oauth.NewFileStore(a)
	if err == nil || !strings.HasPrefix(err.Error(), "oauth: ") || !strings.Contains(err.Error(), a) {
		t.Fatalf("NewFileStore on a link loop = %v, want an oauth error naming the path", err)
	}
}

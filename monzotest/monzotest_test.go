package monzotest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

func TestNewServerIsReady(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	accounts, err := srv.Client.Accounts.List(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != len(srv.User.Accounts) {
		t.Errorf("listed %d accounts, the primary user has %d", len(accounts), len(srv.User.Accounts))
	}
	personal := srv.AccountID(monzo.AccountTypeRetail)
	if _, err := srv.Client.Balance.Get(ctx, personal); err != nil {
		t.Fatal(err)
	}
}

func TestWithoutApproval(t *testing.T) {
	srv := monzotest.NewServer(t, monzotest.WithoutApproval())
	ctx := context.Background()
	before, _ := srv.Login.Token(ctx)
	if _, err := srv.Client.Accounts.List(ctx, nil); !monzo.IsApprovalPending(err) {
		t.Fatalf("before approval: %v, want approval pending", err)
	}
	srv.Approve(srv.Login)
	if _, err := srv.Client.Accounts.List(ctx, nil); err != nil {
		t.Fatalf("after approval: %v", err)
	}
	if after, _ := srv.Login.Token(ctx); after.AccessToken != before.AccessToken {
		t.Error("approval should make the same token work, not issue a new one")
	}
}

func TestTokenRefreshesAcrossExpiry(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	before, _ := srv.Login.Token(ctx)
	srv.Clock.Advance(31 * time.Hour)
	if _, err := srv.Client.WhoAmI(ctx); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	after, _ := srv.Login.Token(ctx)
	if after.AccessToken == before.AccessToken || after.RefreshToken == before.RefreshToken {
		t.Error("the token was not rotated")
	}
	// The old access token is dead.
	old := srv.NewClient(srv.Login, monzo.WithAccessToken(before.AccessToken))
	if _, err := old.WhoAmI(ctx); !errors.Is(err, monzo.ErrBadAccessToken) {
		t.Errorf("old token: %v, want a bad access token error", err)
	}
}

func TestSecondClientSecondUser(t *testing.T) {
	srv := monzotest.NewServer(t)
	other := srv.RegisterClient("second app", true)
	partner := srv.Emulator.Users()[1]
	login := srv.LogIn(other, partner.ID)
	srv.Approve(login)
	who, err := srv.NewClient(login).WhoAmI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if who.UserID != partner.ID || who.ClientID != other.ID {
		t.Errorf("whoami = %+v, want %s via %s", who, partner.ID, other.ID)
	}
}

package monzo_test

import (
	"log"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// payByCard makes a card payment happen on the emulated user's current
// account, as if they had just bought something, and returns its
// transaction id. In real code the id comes from Transactions.List or a
// webhook.
func payByCard(srv *monzotest.Server, amount int64, merchant string) string {
	txID, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{
		AccountID: srv.AccountID(monzo.AccountTypeRetail), Amount: amount, MerchantName: merchant})
	if err != nil {
		log.Fatal(err)
	}
	return txID
}

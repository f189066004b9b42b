package history_test

import "github.com/monzokit/monzo/emulator"

func emulatorPayment(accountID string, amount int64) emulator.CardPayment {
	return emulator.CardPayment{AccountID: accountID, Amount: amount, MerchantName: "Pret A Manger"}
}

package monzo

import "testing"

func TestAccountDisplayName(t *testing.T) {
	for _, tc := range []struct {
		account Account
		want    string
	}{
		{Account{Description: "user_0000A1", Type: AccountTypeRetail}, "Personal account"},
		{Account{Description: "", Type: AccountTypeRetail}, "Personal account"},
		{Account{Description: "Hannah & Olu", Type: AccountTypeRetailJoint}, "Hannah & Olu"},
		{Account{Description: "user_0000A1", Type: AccountTypeRetailJoint}, "Joint account"},
		{Account{Description: "user_0000A1", Type: AccountTypePrepaid}, "Prepaid account"},
		{Account{Description: "user_0000A1", Type: AccountTypeBusiness}, "Business account"},
		{Account{Description: "Acme Ltd", Type: AccountTypeBusiness}, "Acme Ltd"},
		{Account{Description: "user_0000A1", Type: AccountTypeFlex}, "Monzo Flex"},
		{Account{Description: "user_0000A1", Type: AccountTypeRewards}, "Rewards account"},
		{Account{Description: "user_0000A1", Type: "uk_something_new"}, "uk_something_new"},
		{Account{ID: "acc_1"}, "acc_1"},
	} {
		if got := tc.account.DisplayName(); got != tc.want {
			t.Errorf("%+v: DisplayName() = %q, want %q", tc.account, got, tc.want)
		}
	}
}

package emulator

// listAccounts renders userID's accounts of type typ ("": all) in creation
// order.
func (b *bank) listAccounts(userID, typ string) []accountJSON {
	b.mu.Lock()
	defer b.unlock()
	out := []accountJSON{}
	for _, a := range b.accountsOfUserLocked(userID) {
		if typ == "" || a.Type == typ {
			out = append(out, b.renderAccountLocked(a))
		}
	}
	return out
}

// renderAccountLocked builds the API shape of a. Call with b.mu held.
func (b *bank) renderAccountLocked(a *account) accountJSON {
	out := accountJSON{
		ID:          a.ID,
		Closed:      a.Closed,
		Created:     formatTime(a.Created),
		Description: a.Description,
		Type:        a.Type,
		Currency:    a.Currency,
		CountryCode: a.CountryCode,
		Owners:      []ownerJSON{},
		BusinessID:  a.BusinessID,
	}
	for _, id := range a.OwnerIDs {
		if u := b.users[id]; u != nil {
			out.Owners = append(out.Owners, ownerJSON{UserID: u.ID, PreferredName: u.Name, PreferredFirstName: u.FirstName})
		}
	}
	if a.AccountNumber != "" {
		out.AccountNumber, out.SortCode = a.AccountNumber, a.SortCode
		out.PaymentDetails = &paymentDetailsJSON{LocaleUK: localeUKJSON{AccountNumber: a.AccountNumber, SortCode: a.SortCode}}
	}
	return out
}

// accountForUser returns the account if userID owns it, or the 404
// not_found.account the emulator uses for both unknown and foreign accounts.
// Call with b.mu held.
func (b *bank) accountForUser(userID, accountID string) (*account, *apiError) {
	a := b.accounts[accountID]
	if a == nil || !a.ownedBy(userID) {
		return nil, notFound("account", "Account not found", map[string]string{"account_id": accountID})
	}
	return a, nil
}

// accountsOfUserLocked lists userID's accounts in creation order.
func (b *bank) accountsOfUserLocked(userID string) []*account {
	var out []*account
	for _, id := range b.accountOrder {
		if a := b.accounts[id]; a.ownedBy(userID) {
			out = append(out, a)
		}
	}
	return out
}

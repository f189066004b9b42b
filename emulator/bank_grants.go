package emulator

import "time"

// refreshGrantLocked applies Options.AutoApproveAfter lazily: a pending grant
// whose exchange is at least that old becomes approved, with sca_at at the
// moment it would have been approved. Call with b.mu held before reading a
// grant's state.
func (b *bank) refreshGrantLocked(g *grant, now time.Time) {
	if g.State != GrantPending || b.cfg.autoApproveAfter <= 0 {
		return
	}
	if at := g.Created.Add(b.cfg.autoApproveAfter); !now.Before(at) {
		g.State, g.SCAAt = GrantApproved, at
	}
}

// Approve is the operation behind [Server.Approve].
func (b *bank) Approve(clientID, userID string) []Grant {
	b.mu.Lock()
	defer b.unlock()
	now := b.now()
	approved := []Grant{}
	for _, id := range b.grantOrder {
		g := b.grants[id]
		b.refreshGrantLocked(g, now)
		if g.State != GrantPending || (clientID != "" && g.ClientID != clientID) || (userID != "" && g.UserID != userID) {
			continue
		}
		g.State, g.SCAAt = GrantApproved, now
		approved = append(approved, g.summary())
	}
	return approved
}

// Grants is the operation behind [Server.Grants].
func (b *bank) Grants() []Grant {
	b.mu.Lock()
	defer b.unlock()
	now := b.now()
	out := make([]Grant, 0, len(b.grantOrder))
	for _, id := range b.grantOrder {
		g := b.grants[id]
		b.refreshGrantLocked(g, now)
		out = append(out, g.summary())
	}
	return out
}

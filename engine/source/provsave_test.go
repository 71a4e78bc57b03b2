package source

import "testing"

// TestWorthSaving: the provenance cache is written after a walk from
// none, after many commits or a good share of the records, and not after
// a few commits on top of a large cache.
func TestWorthSaving(t *testing.T) {
	for _, c := range []struct {
		loaded               bool
		walked, added, total int
		want                 bool
	}{
		{false, 1, 10, 10, true},
		{false, 0, 0, 0, true},
		{true, 1, 1, 1_000_000, false},
		{true, 15, 100, 1_000_000, false},
		{true, maxUnsavedCommits, 1, 1_000_000, true},
		{true, 1, 125_000, 1_000_000, true},
		{true, 1, 3, 10, true},
	} {
		if got := worthSaving(c.loaded, c.walked, c.added, c.total); got != c.want {
			t.Errorf("worthSaving(%v, %d, %d, %d) = %v, want %v", c.loaded, c.walked, c.added, c.total, got, c.want)
		}
	}
}

package history

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lofte/lofte/engine/source"
)

// TestSortByKey compares the radix sort with a plain sort, with many
// equal keys and keys equal in their first eight bytes only.
func TestSortByKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 100, 5000} {
		keys := make([]source.RecordKey, n)
		for i := range keys {
			switch rng.IntN(4) {
			case 0:
				keys[i][15] = byte(rng.IntN(3)) // the first eight bytes all zero
			case 1:
				keys[i][0] = byte(rng.IntN(2)) // many duplicates
			default:
				for j := range keys[i] {
					keys[i][j] = byte(rng.IntN(256))
				}
			}
		}
		want := make([]int32, n)
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, func(a, b int32) int { return cmp.Or(bytes.Compare(keys[a][:], keys[b][:]), cmp.Compare(a, b)) })
		if got := sortByKey(keys); !slices.Equal(got, want) {
			t.Errorf("n=%d: radix order differs from the plain sort", n)
		}
	}
}

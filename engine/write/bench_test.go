package write

import (
	"fmt"
	"testing"

	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
)

// BenchmarkRecord measures a submission to its commit: checking the
// record, appending it to its file and committing under git's index lock,
// in a repository that grows by one commit per iteration. The rules are
// loaded once, as a server holds them.
func BenchmarkRecord(b *testing.B) {
	dir := newRepo(b)
	w := newWriter(b, dir)
	rules, err := w.rules()
	if err != nil {
		b.Fatal(err)
	}
	w.rules = func() (*repository.Repository, error) { return rules, nil }
	for i := 0; b.Loop(); i++ {
		if _, err := w.Record([]record.Entry{kontroll("2022-08-20", fmt.Sprint(i))}, anna, ""); err != nil {
			b.Fatal(err)
		}
	}
}

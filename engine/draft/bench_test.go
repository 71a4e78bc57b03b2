package draft

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkReadLong drafts a long document: the seed forty times over.
func BenchmarkReadLong(b *testing.B) {
	seed, err := os.ReadFile("testdata/mullsjo-2021-2022.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(string(seed), 40)
	for b.Loop() {
		Read(text, Options{Year: 2024})
	}
}

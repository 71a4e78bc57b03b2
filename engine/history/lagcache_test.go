package history

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/lofte/lofte/engine/diag"
	"testing"
)

// TestOutcomeDecodeHostile reads damaged heads and bodies of the outcome
// cache: every prefix of a good one, and random bytes, are refused (or
// read) without a panic; the good ones are read whole.
func TestOutcomeDecodeHostile(t *testing.T) {
	var head []byte
	head = binary.AppendUvarint(head, 1<<20+738000)
	head = binary.AppendUvarint(head, 1)
	for _, s := range []string{"0123456789abcdef0123456789abcdef01234567", "Anna", "anna@example.org", "kontroller"} {
		head = appendString(head, s)
	}
	head = binary.AppendVarint(head, 1656900000)
	head = binary.AppendUvarint(head, 5)
	head = binary.AppendVarint(head, 7200)
	head = binary.AppendUvarint(head, 1)
	head = appendString(head, "trafikkontroll")
	for _, n := range []uint64{3, 9, 40} {
		head = binary.AppendUvarint(head, n)
	}
	var body []byte
	body = binary.AppendUvarint(body, 1)
	body = appendString(body, "data/2022/trafik.csv")
	body = binary.AppendUvarint(body, 2)
	for _, n := range []uint64{2, 1, 1, 1, 1, 0} {
		body = binary.AppendUvarint(body, n)
	}
	h, ok := decodeHead(head)
	if !ok || len(h.commits) != 1 || len(h.lags) != 1 || h.lags[0].P90 != 9 || h.commits[0].Subject != "kontroller" {
		t.Fatalf("head %+v %v", h, ok)
	}
	b, ok := decodeBody(body, 1)
	if c, found := b.origin(posOf("data/2022/trafik.csv", 2, 1)); !ok || !found || c != 0 {
		t.Fatalf("body %+v %v", b, ok)
	}
	if _, found := b.origin(posOf("data/2022/trafik.csv", 3, 1)); found {
		t.Errorf("the record at line 3 has no commit")
	}
	for i := range len(head) {
		if _, ok := decodeHead(head[:i]); ok {
			t.Errorf("head cut at %d read", i)
		}
	}
	for i := range len(body) {
		if _, ok := decodeBody(body[:i], 1); ok {
			t.Errorf("body cut at %d read", i)
		}
	}
	if _, ok := decodeBody(body, 0); ok {
		t.Errorf("a body naming a commit the head does not have was read")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		junk := make([]byte, rng.IntN(64))
		for i := range junk {
			junk[i] = byte(rng.UintN(256))
		}
		decodeHead(junk)
		decodeBody(junk, 3)
	}
}

func posOf(file string, line, col int) diag.Pos { return diag.Pos{File: file, Line: line, Col: col} }

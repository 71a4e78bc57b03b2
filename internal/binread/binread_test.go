package binread

import (
	"encoding/binary"
	"testing"
)

func TestReader(t *testing.T) {
	b := binary.AppendUvarint(nil, 300)
	b = binary.AppendVarint(b, -7)
	b = binary.AppendUvarint(b, 3)
	b = append(b, "abc"...)
	b = binary.AppendUvarint(b, 2)
	r := Reader{B: b}
	if u, i, s := r.Uint(), r.Int(), r.String(); u != 300 || i != -7 || s != "abc" || r.Bad {
		t.Fatalf("%d %d %q %v", u, i, s, r.Bad)
	}
	if n := r.Count(1); n != 0 || !r.Bad || r.B != nil {
		t.Errorf("a count of 2 with nothing left: %d, bad %v", n, r.Bad)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		read func(*Reader)
	}{
		{"empty", nil, func(r *Reader) { r.Uint() }},
		{"cut varint", []byte{0x80}, func(r *Reader) { r.Int() }},
		{"string past the end", append(binary.AppendUvarint(nil, 5), "ab"...), func(r *Reader) { _ = r.String() }},
	} {
		r := Reader{B: tc.b}
		if tc.read(&r); !r.Bad {
			t.Errorf("%s: not bad", tc.name)
		}
	}
}

// Package binread reads the files of lofte's caches, written with
// encoding/binary's varints: a field at a time, where a read past the end
// or out of range leaves the reader Bad (and reads nothing more), so
// that a decoder checks once, at the end, whether the file was whole.
package binread

import "encoding/binary"

// Reader reads B from its start.
type Reader struct {
	B   []byte // what is left to read
	Bad bool   // a read failed
}

func (r *Reader) fail() { r.Bad, r.B = true, nil }

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 {
	v, n := binary.Uvarint(r.B)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Int reads a signed varint.
func (r *Reader) Int() int64 {
	v, n := binary.Varint(r.B)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Count reads a count of items of at least min bytes each: more than
// what is left could hold is a failure, so that a damaged count never
// sizes an allocation.
func (r *Reader) Count(min int) int {
	n := r.Uint()
	if n > uint64(len(r.B)/min) {
		r.fail()
		return 0
	}
	return int(n)
}

// String reads a length and that many bytes.
func (r *Reader) String() string {
	n := r.Uint()
	if n > uint64(len(r.B)) {
		r.fail()
		return ""
	}
	s := string(r.B[:n])
	r.B = r.B[n:]
	return s
}

package record

// The accessors below let a reader of many records (the rules' column
// path) read a value once per distinct value of a column rather than once
// per record. They are read-only: the slices they return must not be
// modified.

// Parts is the number of parts the records are kept in (one per file
// read); 1 for records not read from files, 0 for none.
func (r Rows) Parts() int {
	switch {
	case r.g == nil:
		return 0
	case r.g.parts == nil:
		return 1
	}
	return len(r.g.parts)
}

// Ref is where record k is kept: row i of part p (see Column). Records
// not read from files are row k of part 0.
func (r Rows) Ref(k int) (p, i int) {
	if r.g.parts == nil {
		return 0, k
	}
	return r.g.ref(k)
}

// Column returns value f of the rows of part p as codes into a
// dictionary: Value gives dict[codes[i]] for row i of the part, and
// dict[0] is nil. ok is false when the part keeps the values as they are,
// or has no value f: read them with Value then.
func (r Rows) Column(p, f int) (codes []uint16, dict []any, ok bool) {
	if r.g == nil || r.g.parts == nil || p < 0 || p >= len(r.g.parts) {
		return nil, nil, false
	}
	pt := r.g.parts[p]
	if f < 0 || f >= pt.nf || pt.vals[f].codes == nil {
		return nil, nil, false
	}
	return pt.vals[f].codes, pt.vals[f].dict, true
}

package record

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"testing"
)

// sameAsCSV fails t unless the line scanner reads body as encoding/csv
// does, row by row, cell positions included, up to a row it gives up on.
func sameAsCSV(t *testing.T, body []byte, comma byte) {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = rune(comma)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	s := newLineScanner(body, comma)
	for n := 1; ; n++ {
		got, gerr := s.Read()
		if gerr == errGiveUp {
			return
		}
		want, werr := r.Read()
		if gerr == io.EOF || werr == io.EOF {
			if gerr != werr {
				t.Fatalf("row %d: scanner %v, encoding/csv %v (%q)", n, gerr, werr, want)
			}
			return
		}
		if werr != nil {
			t.Fatalf("row %d: scanner read %q, encoding/csv: %v", n, got, werr)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("row %d: scanner %q, encoding/csv %q", n, got, want)
		}
		for i := range want {
			gl, gc := s.FieldPos(i)
			wl, wc := r.FieldPos(i)
			if gl != wl || gc != wc {
				t.Fatalf("row %d cell %d: scanner at %d:%d, encoding/csv at %d:%d", n, i, gl, gc, wl, wc)
			}
		}
	}
}

func TestLineScannerAsCSV(t *testing.T) {
	for _, body := range []string{
		"",
		"date;type;by\n2022-01-01;trafikkontroll;polisen+kommunen\n",
		"a,b,c\r\n1,2,3\r\n",
		"a,b\n\n\r\n1,2\n",
		"a,b,\n1,,\n",
		" a, \tb ,  \n",
		"a,b\n   \n1,2",
		"x\r",
		"x\r\r\n",
		"x\ry,z\n",
		"\"a\",\"b,c\",\"d\"\"e\"\n\"\",x,\"\"\n",
		"\"a\",\n",
		"  \"q\" ,x\n",
		"a\"b,c\n",
		"\"a\nb\",c\n",
		"\"abc\n",
		"\u00a0a,\u0085b,\u2003c\n",
		"å,ä;ö\n\"ü\",é\n",
		"\"a\"\"\"\"\",b\n",
	} {
		sameAsCSV(t, []byte(body), ',')
		sameAsCSV(t, []byte(body), ';')
	}
}

func FuzzLineScanner(f *testing.F) {
	addSeeds(f, []string{"a,b\n\"c\",\"d\"\"\"\n", "a;b\r\n \"x\";y\r\n", "\"a\"b,c\n"}, ".csv")
	f.Fuzz(func(t *testing.T, body []byte) {
		sameAsCSV(t, body, ',')
		sameAsCSV(t, body, ';')
	})
}

package record

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
)

// exportCSV is an Excel-style export of n records of two types.
func exportCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("sep=;\r\ndate;type;by;riktad_mot;bilinspektor;form;plats;skola\r\n")
	start := calendar.NewDate(2021, 1, 1)
	for i := range n {
		d := start + calendar.Date(i%730)
		if i%3 == 0 {
			fmt.Fprintf(&b, "%s;hundsok;polisen;;;;grundskola;Ribbaskolan %d\r\n", d, i%7)
		} else {
			fmt.Fprintf(&b, "%s;trafikkontroll;polisen+kommunen;hastighet;ja;civil;;\r\n", d)
		}
	}
	return b.Bytes()
}

// BenchmarkParseCSV reads a 100,000-line CSV file.
func BenchmarkParseCSV(b *testing.B) {
	const n = 100_000
	data := exportCSV(n)
	voc := testVocab()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		recs, diags := Parse("data/export.csv", data, voc, testParties)
		if len(recs) != n || len(diags) != 0 {
			b.Fatalf("%d records, %v", len(recs), diags)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkReadAll reads a repository of 100,000 records in 100 files
// and indexes them.
func BenchmarkReadAll(b *testing.B) {
	const files, per = 100, 1000
	var fs []File
	for i := range files {
		fs = append(fs, File{Path: fmt.Sprintf("data/%03d.csv", i), Data: exportCSV(per)})
	}
	voc := testVocab()
	b.ReportAllocs()
	in := make([]File, len(fs))
	for b.Loop() {
		copy(in, fs) // ReadAll lets go of the bytes it read
		s, diags := ReadAll(in, voc, testParties)
		if s.Len() != files*per || len(diags) != 0 {
			b.Fatalf("%d records, %v", s.Len(), diags)
		}
	}
	b.ReportMetric(float64(files*per*b.N)/b.Elapsed().Seconds(), "records/s")
}

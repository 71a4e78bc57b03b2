package record

import (
	"bytes"
	"fmt"
	"github.com/lofte/lofte/engine/promise"
	"io/fs"
	"os"
	"path/filepath"
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

// BenchmarkParseChunkCSV reads a 100,000-line CSV file into columns, as
// a repository's files are read.
func BenchmarkParseChunkCSV(b *testing.B) {
	const n = 100_000
	data := exportCSV(n)
	voc := testVocab()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c, diags := ParseChunk("data/export.csv", data, voc, testParties)
		if c.Len() != n || len(diags) != 0 {
			b.Fatalf("%d records, %v", c.Len(), diags)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/record")
}

// BenchmarkParseChunkRepo reads the CSV files of the repository named by
// LOFTE_BENCH_REPO (one lofte-gen made, say), one after the other.
func BenchmarkParseChunkRepo(b *testing.B) {
	dir := os.Getenv("LOFTE_BENCH_REPO")
	if dir == "" {
		b.Skip("LOFTE_BENCH_REPO names no repository")
	}
	src, err := os.ReadFile(filepath.Join(dir, "rules", "activities.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	voc, diags := promise.ParseVocabulary("rules/activities.yaml", src)
	if diags.Errors() > 0 {
		b.Fatal(diags)
	}
	var files []File
	size := 0
	err = filepath.WalkDir(filepath.Join(dir, "data"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".csv" {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files = append(files, File{Path: filepath.ToSlash(rel), Data: data})
		size += len(data)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		for _, f := range files {
			c, _ := ParseChunk(f.Path, f.Data, voc, []string{"polisen", "kommunen"})
			n += c.Len()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/record")
}

// BenchmarkEncodeParsed encodes what a 100,000-line CSV file gave, as the
// parse cache does with each file it writes.
func BenchmarkEncodeParsed(b *testing.B) {
	const n = 100_000
	c, diags := ParseChunk("data/export.csv", exportCSV(n), testVocab(), testParties)
	if c.Len() != n || len(diags) != 0 {
		b.Fatalf("%d records, %v", c.Len(), diags)
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = EncodeParsed(buf[:0], c, diags)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/record")
}

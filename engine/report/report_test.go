package report

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

var update = flag.Bool("update", false, "rewrite golden files")

// example loads the bundled Mullsjö example from the project's own rules/
// and data/, as a plain snapshot with a fixed commit.
func example(t *testing.T) *repository.Repository {
	t.Helper()
	snap := &source.Snapshot{Root: "/exempel", Commit: "0123456789abcdef0123456789abcdef01234567", Git: true}
	for _, dir := range []string{"rules", "data"} {
		err := filepath.WalkDir(filepath.Join("..", "..", dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			snap.Files = append(snap.Files, source.File{Path: filepath.ToSlash(rel), Data: data})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	r := repository.Load(snap)
	if len(r.Diags) > 0 {
		t.Fatalf("the bundled example has problems:\n%v", r.Diags)
	}
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	r := example(t)
	tests := []struct {
		name   string
		period calendar.Period
		asOf   string
		format string
		lang   string
	}{
		{"2022-08-31.txt", calendar.Period{First: 2022, Last: 2022}, "2022-08-31", "text", "sv"},
		{"2022-08-31.en.txt", calendar.Period{First: 2022, Last: 2022}, "2022-08-31", "text", "en"},
		{"2021-2022.txt", calendar.Period{First: 2021, Last: 2022}, "2023-01-15", "text", "sv"},
		{"2022-08-31.json", calendar.Period{First: 2022, Last: 2022}, "2022-08-31", "json", ""},
		{"2022-08-31.summary.txt", calendar.Period{First: 2022, Last: 2022}, "2022-08-31", "summary", "sv"},
		{"2022-12-10.summary.en.txt", calendar.Period{First: 2022, Last: 2022}, "2022-12-10", "summary", "en"},
		{"2021-2022.summary.txt", calendar.Period{First: 2021, Last: 2022}, "2022-12-10", "summary", "sv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asOf, err := calendar.ParseDate(tt.asOf)
			if err != nil {
				t.Fatal(err)
			}
			rep := r.Evaluate(tt.period, asOf)
			var b bytes.Buffer
			switch tt.format {
			case "json":
				err = JSON(&b, rep)
			case "summary":
				err = Summary(&b, rep, TextOptions{Lang: tt.lang})
			default:
				err = Text(&b, rep, TextOptions{Lang: tt.lang})
			}
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestColour(t *testing.T) {
	r := example(t)
	asOf, _ := calendar.ParseDate("2022-08-31")
	rep := r.Evaluate(calendar.Period{First: 2022, Last: 2022}, asOf)
	var plain, colour bytes.Buffer
	Text(&plain, rep, TextOptions{})
	Text(&colour, rep, TextOptions{Color: true})
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
		t.Error("escape codes without Color")
	}
	if !bytes.Contains(colour.Bytes(), []byte("\x1b[33m▼ efter")) {
		t.Error("no colour for behind with Color")
	}
}

package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

// addSeeds adds the testdata files with one of exts, and more, to the
// corpus.
func addSeeds(f *testing.F, more []string, exts ...string) {
	for _, ext := range exts {
		files, err := filepath.Glob("testdata/*" + ext)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, s := range more {
		f.Add([]byte(s))
	}
}

// checkParse fails t unless every record is valid and every diagnostic
// an error at a place of the file.
func checkParse(t *testing.T, path string, recs []Record, diags diag.List, voc *promise.Vocabulary) {
	for _, r := range recs {
		checkRecord(t, r, voc, testParties)
		if r.Pos.File != path {
			t.Fatalf("record at %s, not in %s", r.Pos, path)
		}
	}
	for _, d := range diags {
		if d.File != path || d.Line < 0 || d.Col < 0 || d.Severity != diag.Error || d.Message == "" {
			t.Fatalf("bad diagnostic %#v", d)
		}
		if strings.HasPrefix(d.Message, "internt fel") {
			t.Fatalf("reader panicked: %s", d.Error())
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	addSeeds(f, []string{
		"date;type;by\n2022-01-01;trafikkontroll;polisen+kommunen\n",
		"sep=,\r\ndate,type,by,bilinspektor\r\n2022-01-01,trafikkontroll,polisen,Ja\r\n",
		"\xef\xbb\xbfdate;type;by;timmar;amnen\n2022-01-01;utbildning;polisen;2,5;a+b\n",
		"date;type;by;riktad_mot\n2022-01-01;trafikkontroll;polisen;\"a\"\"b\n",
		"date,type,by\n\"2022-01-01\",\"trafikkontroll\",\"polisen\n\n",
	}, ".csv")
	voc := testVocab()
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, diags := Parse("data/f.csv", data, voc, testParties)
		checkParse(t, "data/f.csv", recs, diags, voc)
	})
}

func FuzzParseYAML(f *testing.F) {
	addSeeds(f, []string{
		"- date: 2022-01-01\n  type: trafikkontroll\n  by: [polisen, kommunen]\n",
		"date: 2022-01-01\ntype: utbildning\nby: polisen\ndeltagare: 3\ntimmar: 2,5\namnen: [a, b]\n",
		"- &a {date: 2022-01-01, type: hundsok, by: polisen, plats: annan}\n- <<: *a\n  date: 2022-01-02\n",
		"---\n- {date: 2022-01-01, type: assessment, by: kommunen, commitment: x, status: i fas}\n---\n",
		"- a: &x [*x]\n",
	}, ".yaml", ".yml")
	voc := testVocab()
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, diags := Parse("data/f.yaml", data, voc, testParties)
		checkParse(t, "data/f.yaml", recs, diags, voc)
	})
}

func FuzzParseJSON(f *testing.F) {
	addSeeds(f, []string{
		`[{"date": "2022-01-01", "type": "trafikkontroll", "by": ["polisen"], "form": "civil"}]`,
		`{"date": "2022-01-01", "type": "utbildning", "by": "polisen", "deltagare": 3, "amnen": ["a\u00e5"]}`,
		"{\"date\": \"2022-01-01\", \"type\": \"trafikkontroll\", \"by\": \"polisen\"}\n\n{\"x\": [1, -0.5e3]}\n",
	}, ".json", ".jsonl")
	voc := testVocab()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, path := range []string{"data/f.json", "data/f.jsonl"} {
			recs, diags := Parse(path, data, voc, testParties)
			checkParse(t, path, recs, diags, voc)
		}
	})
}

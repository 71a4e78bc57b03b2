package record

import (
	"bytes"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
)

func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func at(file string, line, col int) diag.Pos { return diag.Pos{File: file, Line: line, Col: col} }

func TestIsRecordFile(t *testing.T) {
	for path, want := range map[string]bool{
		"data/2022/trafik.csv": true,
		"data/a.YAML":          true,
		"data/a.yml":           true,
		"data/a.json":          true,
		"data/a.JSONL":         true,
		"data/a.txt":           false,
		"data/csv":             false,
		"data/a.csv~":          false,
		"data/.yaml.swp":       false,
	} {
		if got := IsRecordFile(path); got != want {
			t.Errorf("IsRecordFile(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestParseFormats reads the same kind of content in each format and
// compares every record, place included.
func TestParseFormats(t *testing.T) {
	polisen := []string{"polisen"}
	tests := []struct {
		name, path, data string
		want             []Record
	}{
		{
			name: "yaml list",
			path: "d.yaml",
			data: "- date: 2022-03-14\n  type: trafikkontroll\n  by: polisen\n  form: civil\n" +
				"- date: 2022-03-15\n  type: hundsok\n  by: [polisen, kommunen]\n  plats: grundskola\n  skola: Ribbaskolan\n",
			want: []Record{
				{Type: "trafikkontroll", Date: day("2022-03-14"), By: polisen, Values: []any{nil, nil, "civil"}, Pos: at("d.yaml", 1, 3)},
				{Type: "hundsok", Date: day("2022-03-15"), By: []string{"polisen", "kommunen"}, Values: []any{"grundskola", "Ribbaskolan"}, Pos: at("d.yaml", 5, 3)},
			},
		},
		{
			name: "yaml one record, .yml, quoted date, by joined with +",
			path: "d.yml",
			data: "# en post\ndate: '2022-03-14'\ntype: trafikkontroll\nby: polisen+kommunen\nbilinspektor: ja\n",
			want: []Record{{Type: "trafikkontroll", Date: day("2022-03-14"), By: []string{"polisen", "kommunen"}, Values: []any{nil, true, nil}, Pos: at("d.yml", 2, 1)}},
		},
		{
			name: "yaml documents",
			path: "d.yaml",
			data: "---\n- {date: 2022-01-01, type: trafikkontroll, by: polisen}\n---\ndate: 2022-01-02\ntype: trafikkontroll\nby: polisen\n---\n# tomt\n",
			want: []Record{
				{Type: "trafikkontroll", Date: day("2022-01-01"), By: polisen, Values: []any{nil, nil, nil}, Pos: at("d.yaml", 2, 3)},
				{Type: "trafikkontroll", Date: day("2022-01-02"), By: polisen, Values: []any{nil, nil, nil}, Pos: at("d.yaml", 4, 1)},
			},
		},
		{
			name: "yaml anchors and merge keys",
			path: "d.yaml",
			data: "- &kontroll\n  date: 2022-02-01\n  type: trafikkontroll\n  by: polisen\n  form: civil\n" +
				"- <<: *kontroll\n  date: 2022-02-02\n  form: uniformerad\n",
			want: []Record{
				{Type: "trafikkontroll", Date: day("2022-02-01"), By: polisen, Values: []any{nil, nil, "civil"}, Pos: at("d.yaml", 1, 3)},
				{Type: "trafikkontroll", Date: day("2022-02-02"), By: polisen, Values: []any{nil, nil, "uniformerad"}, Pos: at("d.yaml", 6, 3)},
			},
		},
		{
			name: "yaml native values",
			path: "d.yaml",
			data: "date: 2022-09-01\ntype: utbildning\nby: polisen\ndeltagare: 12\ntimmar: 2.5\ndigital: true\n" +
				"uppfoljning: 2022-10-01\namnen: [trafik, droger]\nnivaer: grund\n",
			want: []Record{{Type: "utbildning", Date: day("2022-09-01"), By: polisen,
				Values: []any{12, 2.5, true, day("2022-10-01"), []any{"trafik", "droger"}, []any{"grund"}}, Pos: at("d.yaml", 1, 1)}},
		},
		{
			name: "json array",
			path: "d.json",
			data: "[\n  {\"date\": \"2022-09-01\", \"type\": \"utbildning\", \"by\": \"polisen\", \"deltagare\": 12, \"timmar\": 2.5,\n" +
				"   \"digital\": false, \"amnen\": [\"trafik\"], \"nivaer\": [\"grund\", \"fordjupning\"]},\n" +
				"  {\"date\": \"2022-09-02\", \"type\": \"utbildning\", \"by\": [\"kommunen\"], \"timmar\": \"1,5\", \"digital\": \"nej\", \"uppfoljning\": null}\n]\n",
			want: []Record{
				{Type: "utbildning", Date: day("2022-09-01"), By: polisen,
					Values: []any{12, 2.5, false, nil, []any{"trafik"}, []any{"grund", "fordjupning"}}, Pos: at("d.json", 2, 3)},
				{Type: "utbildning", Date: day("2022-09-02"), By: []string{"kommunen"},
					Values: []any{nil, 1.5, false, nil, nil, nil}, Pos: at("d.json", 4, 3)},
			},
		},
		{
			name: "json one object, escapes",
			path: "d.json",
			data: `{"date": "2022-03-14", "type": "hundsok", "by": "polisen", "plats": "annan", "skola": "G\u00e5rd \"Ö\""}`,
			want: []Record{{Type: "hundsok", Date: day("2022-03-14"), By: polisen, Values: []any{"annan", `Gård "Ö"`}, Pos: at("d.json", 1, 1)}},
		},
		{
			name: "jsonl with blank lines and CRLF",
			path: "d.jsonl",
			data: "{\"date\": \"2022-03-14\", \"type\": \"trafikkontroll\", \"by\": \"polisen\"}\r\n\r\n   \n" +
				"  {\"date\": \"2022-03-15\", \"type\": \"assessment\", \"by\": \"kommunen\", \"commitment\": \"a.b\", \"status\": \"ej bedömt\"}",
			want: []Record{
				{Type: "trafikkontroll", Date: day("2022-03-14"), By: polisen, Values: []any{nil, nil, nil}, Pos: at("d.jsonl", 1, 1)},
				{Type: "assessment", Date: day("2022-03-15"), By: []string{"kommunen"}, Values: []any{"a.b", "unassessed", nil}, Pos: at("d.jsonl", 4, 3)},
			},
		},
		{
			name: "csv with commas, lists, quoted newline",
			path: "d.csv",
			data: "date,type,by,amnen,deltagare\n2022-09-01,utbildning,polisen+kommunen,trafik+droger,12\n" +
				"2022-09-02,utbildning,polisen,\"två\nrader\",\n",
			want: []Record{
				{Type: "utbildning", Date: day("2022-09-01"), By: []string{"polisen", "kommunen"},
					Values: []any{12, nil, nil, nil, []any{"trafik", "droger"}, nil}, Pos: at("d.csv", 2, 0)},
				{Type: "utbildning", Date: day("2022-09-02"), By: polisen,
					Values: []any{nil, nil, nil, nil, []any{"två\nrader"}, nil}, Pos: at("d.csv", 3, 0)},
			},
		},
		{
			name: "csv with semicolons, several types, short row",
			path: "d.csv",
			data: " date ; type ; by ; plats ; bilinspektor\n2022-03-14;hundsok;polisen;grundskola;\n2022-03-15;trafikkontroll;polisen;;x\n2022-03-16;trafikkontroll;polisen\n",
			want: []Record{
				{Type: "hundsok", Date: day("2022-03-14"), By: polisen, Values: []any{"grundskola", nil}, Pos: at("d.csv", 2, 0)},
				{Type: "trafikkontroll", Date: day("2022-03-15"), By: polisen, Values: []any{nil, true, nil}, Pos: at("d.csv", 3, 0)},
				{Type: "trafikkontroll", Date: day("2022-03-16"), By: polisen, Values: []any{nil, false, nil}, Pos: at("d.csv", 4, 0)},
			},
		},
		{
			// Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR
			// (docs/reference.md §4): each is a line of its own.
			name: "csv with CR line endings",
			path: "d.csv",
			data: "sep=;\rdate;type;by;plats;skola\r2022-03-14;hundsok;polisen;grundskola\r" +
				"2022-03-15;hundsok;polisen;annan;\"två\rrader\"\r2022-03-16;hundsok;kommunen;annan\r",
			want: []Record{
				{Type: "hundsok", Date: day("2022-03-14"), By: polisen, Values: []any{"grundskola", nil}, Pos: at("d.csv", 3, 0)},
				{Type: "hundsok", Date: day("2022-03-15"), By: polisen, Values: []any{"annan", "två\nrader"}, Pos: at("d.csv", 4, 0)},
				{Type: "hundsok", Date: day("2022-03-16"), By: []string{"kommunen"}, Values: []any{"annan", nil}, Pos: at("d.csv", 6, 0)},
			},
		},
		{
			// Headers as Excel users write them: any case, for the core
			// columns and the declared fields alike (docs/reference.md §4).
			name: "csv with capitalised header",
			path: "d.csv",
			data: "Date;TYPE;By;Plats;SKOLA\n2022-03-14;hundsok;polisen;grundskola;Ekbacken\n",
			want: []Record{
				{Type: "hundsok", Date: day("2022-03-14"), By: polisen, Values: []any{"grundskola", "Ekbacken"}, Pos: at("d.csv", 2, 0)},
			},
		},
		{
			name: "jsonl with CR line endings",
			path: "d.jsonl",
			data: "{\"date\": \"2022-03-14\", \"type\": \"trafikkontroll\", \"by\": \"polisen\"}\r\r" +
				"{\"date\": \"2022-03-15\", \"type\": \"trafikkontroll\", \"by\": \"kommunen\"}\r",
			want: []Record{
				{Type: "trafikkontroll", Date: day("2022-03-14"), By: polisen, Values: []any{nil, nil, nil}, Pos: at("d.jsonl", 1, 1)},
				{Type: "trafikkontroll", Date: day("2022-03-15"), By: []string{"kommunen"}, Values: []any{nil, nil, nil}, Pos: at("d.jsonl", 3, 1)},
			},
		},
		{name: "empty yaml", path: "d.yaml", data: ""},
		{name: "yaml comments only", path: "d.yaml", data: "# inget än\n"},
		{name: "yaml empty list", path: "d.yaml", data: "[]\n"},
		{name: "empty json", path: "d.json", data: "  \n"},
		{name: "json empty array", path: "d.json", data: "[]"},
		{name: "empty jsonl", path: "d.jsonl", data: "\n\n"},
		{name: "empty csv", path: "d.csv", data: ""},
		{name: "csv header only", path: "d.csv", data: "date;type;by\r\n"},
		{name: "csv sep line only", path: "d.csv", data: "sep=;\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, diags := Parse(tc.path, []byte(tc.data), testVocab(), testParties)
			if len(diags) > 0 {
				t.Errorf("unexpected diagnostics:\n%v", diags)
			}
			if diff := cmp.Diff(tc.want, recs); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExcelFixtures reads files as Excel writes them. The fixtures were
// written with printf; the byte checks make sure no editor has re-encoded
// them since.
func TestExcelFixtures(t *testing.T) {
	polisen := []string{"polisen"}
	both := []string{"polisen", "kommunen"}
	tests := []struct {
		file  string
		bytes func([]byte) bool
		want  []Record
	}{
		{
			file: "excel_utf8_bom.csv", // "CSV UTF-8": BOM, CRLF, decimal comma
			bytes: func(b []byte) bool {
				return bytes.HasPrefix(b, utf8BOM) && utf8.Valid(b) && bytes.Contains(b, []byte("\r\n"))
			},
			want: []Record{
				{Type: "skadegorelse", Date: day("2022-03-14"), By: []string{"kommunen"}, Values: []any{"Klotter på skolan", 1250.5}, Pos: at("testdata/excel_utf8_bom.csv", 2, 0)},
				{Type: "skadegorelse", Date: day("2022-03-15"), By: both, Values: []any{nil, nil}, Pos: at("testdata/excel_utf8_bom.csv", 3, 0)},
			},
		},
		{
			file: "excel_1252.csv", // plain "CSV": sep=; line, Windows-1252, ja/nej, SANT
			bytes: func(b []byte) bool {
				return bytes.HasPrefix(b, []byte("sep=;\r\n")) && !utf8.Valid(b) && bytes.Contains(b, []byte("Skadeg\xf6relse"))
			},
			want: []Record{
				{Type: "trafikkontroll", Date: day("2022-04-01"), By: polisen, Values: []any{"Skadegörelse", true, "civil"}, Pos: at("testdata/excel_1252.csv", 3, 0)},
				{Type: "trafikkontroll", Date: day("2022-04-02"), By: both, Values: []any{"Hastighet åker", false, "uniformerad"}, Pos: at("testdata/excel_1252.csv", 4, 0)},
				{Type: "trafikkontroll", Date: day("2022-04-03"), By: polisen, Values: []any{nil, true, nil}, Pos: at("testdata/excel_1252.csv", 5, 0)},
				{Type: "trafikkontroll", Date: day("2022-04-04"), By: polisen, Values: []any{"Nykterhet", true, "civil"}, Pos: at("testdata/excel_1252.csv", 7, 0)},
			},
		},
		{
			file:  "excel_comma.csv", // commas, quoted decimal comma, quoted cells, a cell over two lines
			bytes: func(b []byte) bool { return utf8.Valid(b) && bytes.Contains(b, []byte(`"2,5"`)) },
			want: []Record{
				{Type: "utbildning", Date: day("2022-09-01"), By: polisen,
					Values: []any{12, 2.5, true, day("2022-10-01"), []any{"trafik", "droger"}, []any{"grund"}}, Pos: at("testdata/excel_comma.csv", 2, 0)},
				{Type: "utbildning", Date: day("2022-09-02"), By: []string{"kommunen"},
					Values: []any{8, 1.75, false, nil, []any{"trafik"}, []any{"grund", "fordjupning"}}, Pos: at("testdata/excel_comma.csv", 3, 0)},
				{Type: "utbildning", Date: day("2022-09-03"), By: both,
					Values: []any{20, 3.0, true, nil, []any{"brott\nsom språk"}, nil}, Pos: at("testdata/excel_comma.csv", 4, 0)},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.bytes(data) {
				t.Fatalf("testdata/%s does not hold the bytes Excel writes: was it re-encoded?", tc.file)
			}
			recs, diags := Parse("testdata/"+tc.file, data, testVocab(), testParties)
			if len(diags) > 0 {
				t.Errorf("unexpected diagnostics:\n%v", diags)
			}
			if diff := cmp.Diff(tc.want, recs); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPartiesUnchecked: with no known parties any id is taken as written.
func TestPartiesUnchecked(t *testing.T) {
	recs, diags := Parse("d.csv", []byte("date;type;by\n2022-01-01;trafikkontroll;Polisen + tullen+Polisen\n"), testVocab(), nil)
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", diags)
	}
	if diff := cmp.Diff([]string{"Polisen", "tullen"}, recs[0].By); diff != "" {
		t.Errorf("by (-want +got):\n%s", diff)
	}
}

// TestPartyCase: a known party is stored as declared.
func TestPartyCase(t *testing.T) {
	recs, diags := Parse("d.yaml", []byte("date: 2022-01-01\ntype: Trafikkontroll\nby: POLISEN+kommunen+polisen\n"), testVocab(), testParties)
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", diags)
	}
	if recs[0].Type != "trafikkontroll" || !cmp.Equal(recs[0].By, []string{"polisen", "kommunen"}) {
		t.Errorf("got type %q, by %q", recs[0].Type, recs[0].By)
	}
}

func TestUnknownExtension(t *testing.T) {
	recs, diags := Parse("data/a.txt", []byte("x"), testVocab(), testParties)
	if len(recs) != 0 || len(diags) != 1 || diags[0].Error() != `data/a.txt: okänd filtyp ".txt" (poster läses från .yaml, .yml, .json, .jsonl och .csv)` {
		t.Errorf("got %v, %v", recs, diags)
	}
}

// TestNilVocabulary: without a vocabulary only assessments are known.
func TestNilVocabulary(t *testing.T) {
	data := "date;type;by;commitment;status\n2022-01-01;assessment;polisen;a;uppfyllt\n2022-01-02;trafikkontroll;polisen;;\n"
	recs, diags := Parse("d.csv", []byte(data), nil, nil)
	if len(recs) != 1 || recs[0].Values[1] != "met" {
		t.Errorf("records: %+v", recs)
	}
	if len(diags) != 1 || diags[0].Line != 3 {
		t.Errorf("diagnostics: %v", diags)
	}
}

// TestYAMLAliasBomb: aliases that multiply are refused, quickly.
func TestYAMLAliasBomb(t *testing.T) {
	data := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		data += n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
			", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	recs, diags := Parse("d.yaml", []byte(data), testVocab(), testParties)
	if len(recs) != 0 || len(diags) != 1 {
		t.Fatalf("got %v, %v", recs, diags)
	}
	recs, diags = Parse("d.yaml", []byte("- &a [*a]\n"), testVocab(), testParties)
	if len(recs) != 0 || len(diags) != 1 {
		t.Fatalf("self-reference: got %v, %v", recs, diags)
	}
}

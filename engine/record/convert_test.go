package record

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
)

// TestScalar converts the text of a value by its declared type: the value
// it gives, or the exact message and hint.
func TestScalar(t *testing.T) {
	voc := testVocab()
	status := &voc.Activity(promise.Assessment).Field("status").Type
	form := enum("civil", "uniformerad")
	tests := []struct {
		name string
		typ  *promise.Type
		csv  bool
		in   string
		want any    // when err is ""
		err  string // message (hint)
	}{
		{name: "bool true", typ: ptr(typ(promise.Bool)), in: "true", want: true},
		{name: "bool FALSE", typ: ptr(typ(promise.Bool)), in: "FALSE", want: false},
		{name: "bool Ja", typ: ptr(typ(promise.Bool)), in: "Ja", want: true},
		{name: "bool nej", typ: ptr(typ(promise.Bool)), in: "nej", want: false},
		{name: "bool SANT", typ: ptr(typ(promise.Bool)), in: "SANT", want: true},
		{name: "bool falskt", typ: ptr(typ(promise.Bool)), in: "falskt", want: false},
		{name: "bool 1", typ: ptr(typ(promise.Bool)), in: "1", want: true},
		{name: "bool 0", typ: ptr(typ(promise.Bool)), in: "0", want: false},
		{name: "bool x", typ: ptr(typ(promise.Bool)), in: " X ", want: true},
		{name: "bool empty", typ: ptr(typ(promise.Bool)), in: "", want: false},
		{name: "bool blank", typ: ptr(typ(promise.Bool)), in: "  ", want: false},
		{name: "bool yes", typ: ptr(typ(promise.Bool)), in: "yes", err: `f: "yes" är varken ja eller nej (skriv ja/nej, true/false, 1/0 eller x/tomt)`},
		{name: "bool 2", typ: ptr(typ(promise.Bool)), in: "2", err: `f: "2" är varken ja eller nej (skriv ja/nej, true/false, 1/0 eller x/tomt)`},

		{name: "int", typ: ptr(typ(promise.Int)), in: "12", want: 12},
		{name: "int negative", typ: ptr(typ(promise.Int)), in: "-3", want: -3},
		{name: "int padded", typ: ptr(typ(promise.Int)), in: " 7 ", want: 7},
		{name: "int empty", typ: ptr(typ(promise.Int)), in: "", want: nil},
		{name: "int 1.5", typ: ptr(typ(promise.Int)), in: "1.5", err: `f: "1.5" är inget heltal (fältet är av typen int, t.ex. 12)`},
		{name: "int 1,5", typ: ptr(typ(promise.Int)), in: "1,5", err: `f: "1,5" är inget heltal (fältet är av typen int, t.ex. 12)`},
		{name: "int 12.0", typ: ptr(typ(promise.Int)), in: "12.0", err: `f: "12.0" är inget heltal (fältet är av typen int, t.ex. 12)`},
		{name: "int hex", typ: ptr(typ(promise.Int)), in: "0x10", err: `f: "0x10" är inget heltal (fältet är av typen int, t.ex. 12)`},
		{name: "int too big", typ: ptr(typ(promise.Int)), in: "99999999999999999999", err: `f: "99999999999999999999" är inget heltal (fältet är av typen int, t.ex. 12)`},

		{name: "number comma", typ: ptr(typ(promise.Number)), in: "2,5", want: 2.5},
		{name: "number point", typ: ptr(typ(promise.Number)), in: "2.5", want: 2.5},
		{name: "number negative comma", typ: ptr(typ(promise.Number)), in: "-0,25", want: -0.25},
		{name: "number whole", typ: ptr(typ(promise.Number)), in: "3", want: 3.0},
		{name: "number exponent", typ: ptr(typ(promise.Number)), in: "1e3", want: 1000.0},
		{name: "number inf", typ: ptr(typ(promise.Number)), in: "inf", err: `f: "inf" är inget tal (skriv t.ex. 2,5 eller 2.5)`},
		{name: "number NaN", typ: ptr(typ(promise.Number)), in: "NaN", err: `f: "NaN" är inget tal (skriv t.ex. 2,5 eller 2.5)`},
		{name: "number overflow", typ: ptr(typ(promise.Number)), in: "1e999", err: `f: "1e999" är inget tal (skriv t.ex. 2,5 eller 2.5)`},
		{name: "number two commas", typ: ptr(typ(promise.Number)), in: "1,2,3", err: `f: "1,2,3" är inget tal (skriv t.ex. 2,5 eller 2.5)`},
		{name: "number thousands", typ: ptr(typ(promise.Number)), in: "1.234,5", err: `f: "1.234,5" är inget tal (skriv t.ex. 2,5 eller 2.5)`},
		{name: "number hex", typ: ptr(typ(promise.Number)), in: "0x1p3", err: `f: "0x1p3" är inget tal (skriv t.ex. 2,5 eller 2.5)`},
		{name: "number underscore", typ: ptr(typ(promise.Number)), in: "1_000", err: `f: "1_000" är inget tal (skriv t.ex. 2,5 eller 2.5)`},

		{name: "date", typ: ptr(typ(promise.Date)), in: "2022-03-14", want: calendar.NewDate(2022, 3, 14)},
		{name: "date leap day", typ: ptr(typ(promise.Date)), in: "2024-02-29", want: calendar.NewDate(2024, 2, 29)},
		{name: "date not leap", typ: ptr(typ(promise.Date)), in: "2023-02-29", err: `f: "2023-02-29" finns inte: februari 2023 har 28 dagar`},
		{name: "date 31 april", typ: ptr(typ(promise.Date)), in: "2022-04-31", err: `f: "2022-04-31" finns inte: april 2022 har 30 dagar`},
		{name: "date month 0", typ: ptr(typ(promise.Date)), in: "2022-00-10", err: `f: "2022-00-10": månaden ska vara 01–12 (skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2022-03-14)`},
		{name: "date short", typ: ptr(typ(promise.Date)), in: "2022-3-14", err: `f: "2022-3-14" är inget datum (skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2022-03-14)`},
		{name: "date compact", typ: ptr(typ(promise.Date)), in: "20220314", err: `f: "20220314" är inget datum (skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2022-03-14)`},
		{name: "date time", typ: ptr(typ(promise.Date)), in: "2022-03-14T08:00:00Z", err: `f: "2022-03-14T08:00:00Z" är inget datum (ange bara datumet, utan klockslag: 2022-03-14)`},
		{name: "date garbage", typ: ptr(typ(promise.Date)), in: "2022-1x-14", err: `f: "2022-1x-14" är inget datum (skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2022-03-14)`},

		{name: "enum", typ: &form, in: "civil", want: "civil"},
		{name: "enum case", typ: &form, in: "UNIFORMERAD", want: "uniformerad"},
		{name: "enum typo", typ: &form, in: "civill", err: "f: \"civill\" är inget tillåtet värde (menade du `civil`?)"},
		{name: "enum unknown", typ: &form, in: "hemlig", err: `f: "hemlig" är inget tillåtet värde (tillåtna värden: civil, uniformerad)`},
		{name: "status English", typ: status, in: "on_track", want: "on_track"},
		{name: "status uppfyllt", typ: status, in: "uppfyllt", want: "met"},
		{name: "status I fas", typ: status, in: "I fas", want: "on_track"},
		{name: "status efter", typ: status, in: "efter", want: "behind"},
		{name: "status ej uppfyllt", typ: status, in: "ej uppfyllt", want: "missed"},
		{name: "status pågår", typ: status, in: "PÅGÅR", want: "pending"},
		{name: "status ej bedömt", typ: status, in: "ej bedömt", want: "unassessed"},
		{name: "status typo", typ: status, in: "uppfylt", err: "f: \"uppfylt\" är inget tillåtet värde (menade du `uppfyllt`?)"},

		{name: "string trimmed", typ: ptr(typ(promise.String)), in: "  Ribbaskolan ", want: "Ribbaskolan"},
		{name: "string empty", typ: ptr(typ(promise.String)), in: "", want: nil},

		{name: "list yaml one", typ: ptr(listOf(typ(promise.String))), in: "a+b", want: []any{"a+b"}},
		{name: "list csv", typ: ptr(listOf(typ(promise.String))), csv: true, in: "trafik + droger", want: []any{"trafik", "droger"}},
		{name: "list csv ints", typ: ptr(listOf(typ(promise.Int))), csv: true, in: "1+2", want: []any{1, 2}},
		{name: "list csv bad element", typ: ptr(listOf(typ(promise.Int))), csv: true, in: "1+x", err: `f[2]: "x" är inget heltal (fältet är av typen int, t.ex. 12)`},
		{name: "list csv empty element", typ: ptr(listOf(typ(promise.String))), csv: true, in: "a+", err: `f[2]: tomt element (elementen i en lista skrivs a+b)`},
		{name: "list csv enum", typ: ptr(listOf(form)), csv: true, in: "Civil+uniformerad", want: []any{"civil", "uniformerad"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := formatYAML
			if tc.csv {
				f = formatCSV
			}
			c := newChecker("d", f, voc, testParties)
			got := c.scalar("f", -1, tc.typ, tc.in, at("d", 1, 1))
			if tc.err != "" {
				if len(c.diags) != 1 || got != (invalidValue{}) {
					t.Fatalf("got %#v and %v, want the error %s", got, c.diags, tc.err)
				}
				if msg := strings.TrimPrefix(c.diags[0].Error(), "d:1:1: "); msg != tc.err {
					t.Errorf("error\n got %s\nwant %s", msg, tc.err)
				}
				return
			}
			if len(c.diags) > 0 {
				t.Fatalf("unexpected diagnostics: %v", c.diags)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestParseDate checks the hand-written date parser against the calendar
// package for every day of four years.
func TestParseDate(t *testing.T) {
	for d := calendar.NewDate(1999, 12, 1); d < calendar.NewDate(2024, 3, 1); d++ {
		got, problem := parseDate(d.String())
		if problem != dateOK || got != d {
			t.Fatalf("parseDate(%s) = %s, %d", d, got, problem)
		}
	}
}

// TestNativeValues: YAML and JSON values that are not text.
func TestNativeValues(t *testing.T) {
	tests := []struct {
		path, data string
		want       []any
		err        string
	}{
		{path: "d.yaml", data: "deltagare: 12\ntimmar: 3\ndigital: false", want: []any{12, 3.0, false, nil, nil, nil}},
		{path: "d.yaml", data: "deltagare: '12'\ntimmar: '2,5'\ndigital: 'ja'\nuppfoljning: '2022-10-01'", want: []any{12, 2.5, true, calendar.NewDate(2022, 10, 1), nil, nil}},
		{path: "d.yaml", data: "digital:\namnen: []", want: []any{nil, nil, false, nil, []any{}, nil}},
		{path: "d.yaml", data: "deltagare: 1.5", err: `d.yaml:4:12: deltagare: "1.5" är inget heltal (fältet är av typen int, t.ex. 12)`},
		{path: "d.yaml", data: "timmar: .inf", err: `d.yaml:4:9: timmar: ".inf" är inget tal (skriv t.ex. 2,5 eller 2.5)`},
		{path: "d.yaml", data: "uppfoljning: 2022-10-01 10:00:00", err: `d.yaml:4:14: uppfoljning: "2022-10-01 10:00:00" är inget datum (ange bara datumet, utan klockslag: 2022-10-01)`},
		{path: "d.json", data: `"deltagare": 12, "timmar": 1.25, "digital": 1`, want: []any{12, 1.25, true, nil, nil, nil}},
		{path: "d.json", data: `"deltagare": 1e2`, err: `d.json:1:76: deltagare: "1e2" är inget heltal (fältet är av typen int, t.ex. 12)`},
		{path: "d.json", data: `"digital": "nja"`, err: `d.json:1:74: digital: "nja" är varken ja eller nej (skriv ja/nej, true/false, 1/0 eller x/tomt)`},
		{path: "d.json", data: `"uppfoljning": 20221001`, err: `d.json:1:78: uppfoljning: "20221001" är inget datum (skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2022-03-14)`},
		{path: "d.json", data: `"amnen": [1, true]`, want: []any{nil, nil, nil, nil, []any{"1", "true"}, nil}},
		{path: "d.json", data: `"amnen": [null]`, err: `d.json:1:73: amnen[1]: tomt element`},
	}
	for _, tc := range tests {
		data := "date: 2022-09-01\ntype: utbildning\nby: polisen\n" + tc.data + "\n"
		if strings.HasSuffix(tc.path, ".json") {
			data = `{"date": "2022-09-01", "type": "utbildning", "by": "polisen", ` + tc.data + "}"
		}
		recs, diags := Parse(tc.path, []byte(data), testVocab(), testParties)
		if tc.err != "" {
			if len(recs) != 0 || len(diags) != 1 || diags[0].Error() != tc.err {
				t.Errorf("%s %s: got %v\n%v\nwant %s", tc.path, tc.data, recs, diags, tc.err)
			}
			continue
		}
		if len(diags) > 0 || len(recs) != 1 {
			t.Errorf("%s %s: unexpected %v", tc.path, tc.data, diags)
			continue
		}
		if diff := cmp.Diff(tc.want, recs[0].Values); diff != "" {
			t.Errorf("%s %s: (-want +got):\n%s", tc.path, tc.data, diff)
		}
	}
}

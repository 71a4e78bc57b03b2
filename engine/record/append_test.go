package record

import (
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/privacy"
	"github.com/lofte/lofte/engine/promise"
)

func appendVocab(t *testing.T) *promise.Vocabulary {
	t.Helper()
	voc, errs := promise.ParseVocabulary("rules/activities.yaml", []byte(`activities:
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad], required: true}
      plats: string
      antal: int
      med: {list: string}
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return voc
}

func entry(fields ...string) Entry {
	e := Entry{Type: "trafikkontroll", Date: calendar.NewDate(2022, 9, 14), By: []string{"polisen"}}
	for i := 0; i+1 < len(fields); i += 2 {
		e.Fields = append(e.Fields, EntryField{Name: fields[i], Value: fields[i+1]})
	}
	return e
}

func TestAppendYAML(t *testing.T) {
	voc := appendVocab(t)
	parties := []string{"polisen", "kommunen"}
	for _, tc := range []struct {
		name, old string
		e         Entry
		want      string
	}{
		{"new file", "", entry("form", "civil"),
			"- date: 2022-09-14\n  type: trafikkontroll\n  by: polisen\n  form: civil\n"},
		{"comments kept", "# Kontroller 2022\n- date: 2022-01-02 # första\n  type: trafikkontroll\n  by: polisen\n  form: uniformerad\n\n# slut",
			entry("form", "civil", "plats", "väg 47: norr", "antal", "12"),
			"# Kontroller 2022\n- date: 2022-01-02 # första\n  type: trafikkontroll\n  by: polisen\n  form: uniformerad\n\n# slut\n" +
				"- date: 2022-09-14\n  type: trafikkontroll\n  by: polisen\n  form: civil\n  plats: 'väg 47: norr'\n  antal: 12\n"},
		{"flow style", "- {date: 2022-01-02, type: trafikkontroll, by: polisen, form: civil}\n",
			entry("form", "civil", "plats", "a, b", "med", "skola+socialtjänst"),
			"- {date: 2022-01-02, type: trafikkontroll, by: polisen, form: civil}\n" +
				"- {date: 2022-09-14, type: trafikkontroll, by: polisen, form: civil, plats: 'a, b', med: [skola, socialtjänst]}\n"},
		{"indented list", "  - date: 2022-01-02\n    type: trafikkontroll\n    by: polisen\n    form: civil\n",
			entry("form", "civil", "plats", "047"),
			"  - date: 2022-01-02\n    type: trafikkontroll\n    by: polisen\n    form: civil\n" +
				"  - date: 2022-09-14\n    type: trafikkontroll\n    by: polisen\n    form: civil\n    plats: \"047\"\n"},
		{"comments only, no newline", "# tom", entry("form", "civil"),
			"# tom\n- date: 2022-09-14\n  type: trafikkontroll\n  by: polisen\n  form: civil\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := AppendYAML("data/2022/trafikkontroll.yaml", []byte(tc.old), tc.e, voc, parties)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			recs, errs := Parse("data/2022/trafikkontroll.yaml", got, voc, parties)
			if len(errs) > 0 || recs[len(recs)-1].Date != tc.e.Date {
				t.Errorf("reads back as %v %v", recs, errs)
			}
		})
	}
}

func TestAppendYAMLRefuses(t *testing.T) {
	voc := appendVocab(t)
	parties := []string{"polisen", "kommunen"}
	for _, tc := range []struct {
		name, old string
		e         Entry
		want      string
	}{
		{"unknown field", "", entry("form", "civil", "fom", "x"), `okänt fält "fom" för trafikkontroll (menade du ` + "`form`" + `?)`},
		{"bad enum", "", entry("form", "cvil"), `form: "cvil" är inget tillåtet värde`},
		{"missing required", "", entry(), `kräver fältet "form"`},
		{"bad int", "", entry("form", "civil", "antal", "tolv"), `antal: "tolv" är inget heltal`},
		{"twice", "", entry("form", "civil", "form", "civil"), "fältet form står två gånger"},
		{"new line", "", entry("form", "civil", "plats", "a\nb"), "radbrytning"},
		{"unknown type", "", Entry{Type: "trafikkontrol", Date: 1, By: []string{"polisen"}}, "menade du `trafikkontroll`?"},
		{"unknown party", "", Entry{Type: "trafikkontroll", Date: 1, By: []string{"polis"}, Fields: []EntryField{{"form", "civil"}}}, `okänd part "polis"`},
		{"personnummer", "", entry("form", "civil", "plats", "811218-9876"), "personnummer"},
		{"personnummer as the type", "", Entry{Type: "19811218\u20139876", Date: 1, By: []string{"polisen"}}, "aktivitetstypen ser ut som ett personnummer"},
		{"single record", "date: 2022-01-02\ntype: trafikkontroll\nby: polisen\nform: civil\n", entry("form", "civil"), "ingen lista"},
		{"flow list", "[{date: 2022-01-02, type: trafikkontroll, by: polisen, form: civil}]\n", entry("form", "civil"), "inom [ ]"},
		{"bad file", "- date: 2022-13-02\n  type: trafikkontroll\n  by: polisen\n  form: civil\n", entry("form", "civil"), "har fel, så ingen post läggs till"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := AppendYAML("data/2022/trafikkontroll.yaml", []byte(tc.old), tc.e, voc, parties)
			if got != nil || len(errs) == 0 {
				t.Fatalf("no error; got %q", got)
			}
			if !strings.Contains(errs.Error(), tc.want) {
				t.Errorf("errors %q, want %q", errs.Error(), tc.want)
			}
			if privacy.ContainsIDNumber(errs.Error()) {
				t.Errorf("errors %q repeat an identity number", errs.Error())
			}
		})
	}
}

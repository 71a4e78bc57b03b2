package record

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/calendar"
)

// Every problem with an entry names its field, so that a form can show it
// there.
func TestCheckEntryFields(t *testing.T) {
	d, _ := calendar.ParseDate("2022-09-14")
	for _, tc := range []struct {
		name string
		e    Entry
		want []string
	}{
		{"type", Entry{Type: "okand", Date: d, By: []string{"polisen"}}, []string{"type"}},
		{"party", Entry{Type: "hundsok", Date: d, By: []string{"tullen"}, Fields: []EntryField{{"plats", "annan"}}}, []string{"by"}},
		{"required", Entry{Type: "hundsok", Date: d, By: []string{"polisen"}}, []string{"plats"}},
		{"values", Entry{Type: "utbildning", Date: d, By: []string{"polisen"}, Fields: []EntryField{
			{"deltagare", "tolv"}, {"digital", "kanske"}, {"nivaer", "grund+hog"}, {"farg", "blå"}}},
			[]string{"deltagare", "digital", "nivaer", "farg"}},
		{"twice", Entry{Type: "hundsok", Date: d, By: []string{"polisen"}, Fields: []EntryField{{"plats", "annan"}, {"plats", "annan"}}}, []string{"plats"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := CheckEntry(tc.e, testVocab(), testParties)
			var got []string
			for _, e := range errs {
				got = append(got, e.Field)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s\n%v", diff, errs)
			}
		})
	}
}

// A problem of a CSV row names the column's field; the row's line and the
// cell's column stay.
func TestCSVFields(t *testing.T) {
	src := "date;type;by;plats;skola\n2022-09-14;hundsok;polisen;skog;Centralskolan\n2022-13-01;hundsok;polisen;annan;\n"
	_, errs := Parse("data/x.csv", []byte(src), testVocab(), testParties)
	var got []string
	for _, e := range errs {
		got = append(got, e.Field+"@"+e.Pos.String())
	}
	want := []string{"plats@data/x.csv:2:28", "date@data/x.csv:3:1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

package diag

import "testing"

func TestClosest(t *testing.T) {
	tests := []struct {
		name  string
		cands []string
		want  string
	}{
		{"trafikkontrol", []string{"hundsok", "trafikkontroll"}, "trafikkontroll"},
		{"plast", []string{"plats", "skola"}, "plats"},  // transposition
		{"termn", []string{"termin", "term"}, "termin"}, // ties: the first
		{"xyz", []string{"plats", "skola"}, ""},         // too far
		{"a", []string{"b"}, ""},                        // never replace a whole name
		{"hundsök", []string{"hundsok"}, "hundsok"},     // runes, not bytes
	}
	for _, tt := range tests {
		if got := Closest(tt.name, tt.cands); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	src := []byte("a: 1\n\trule: count(å) >= x\r\nend\n")
	got := Snippet(src, Pos{File: "f", Line: 2, Col: 19})
	want := "    \trule: count(å) >= x\n    \t                 ^"
	if got != want {
		t.Errorf("Snippet = %q, want %q", got, want)
	}
	if Snippet(src, Pos{Line: 9}) != "" || Snippet(src, Pos{}) != "" {
		t.Error("snippet for a line that does not exist")
	}
}

// An identity number on the line is masked with as many characters, so
// the caret stays under the place (docs/reference.md §11).
func TestSnippetMasksIDNumber(t *testing.T) {
	tests := []struct {
		line string
		col  int
		want string
	}{
		{`- {date: 2022-03-01, by: polisen, plats: "19811218-9876"}`, 42,
			"    - {date: 2022-03-01, by: polisen, plats: \"XXXXXXXX-XXXX\"}\n" +
				"                                             ^"},
		{"- {plats: 19811218\u20139876, fom: x}", 28,
			"    - {plats: XXXXXXXX-XXXX, fom: x}\n" +
				"                               ^"},
		{"- {plats: １９８１１２１８－９８７６, fom: x}", 28,
			"    - {plats: XXXXXXXX-XXXX, fom: x}\n" +
				"                               ^"},
	}
	for _, tt := range tests {
		got := Snippet([]byte("a: 1\n"+tt.line+"\n"), Pos{File: "f", Line: 2, Col: tt.col})
		if got != tt.want {
			t.Errorf("Snippet(%q) =\n%s\nwant\n%s", tt.line, got, tt.want)
		}
	}
}

func TestListSortAndErr(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Error("empty list is an error")
	}
	l.Warn(Pos{File: "b", Line: 1}, "", "w")
	if l.Err() != nil {
		t.Error("warnings alone are an error")
	}
	l.Add(Pos{File: "a", Line: 3, Col: 2}, "hint", "e%d", 1)
	l.Add(Pos{File: "a", Line: 1}, "", "e2")
	l.Sort()
	want := "a:1: e2\na:3:2: e1 (hint)\nb:1: varning: w"
	if l.Error() != want || l.Errors() != 2 || l.Err() == nil {
		t.Errorf("got %q, %d errors", l.Error(), l.Errors())
	}
}

// An excerpt of a Windows-1252 file shows its characters as the record
// reader decodes them, not as bytes that are not UTF-8.
func TestSnippetWindows1252(t *testing.T) {
	src := []byte("date,plats\n2022-03-01,Torget och \xc5sv\xe4gen\n")
	got := Snippet(src, Pos{File: "data/a.csv", Line: 2, Col: 12})
	want := "    2022-03-01,Torget och Åsvägen\n               ^"
	if got != want {
		t.Errorf("Snippet = %q, want %q", got, want)
	}
}

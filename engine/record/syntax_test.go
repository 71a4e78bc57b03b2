package record

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSyntaxErrors: a YAML or JSON syntax error is one diagnostic at the
// right line (and column, for JSON), and the file's records are left
// out; in JSONL only the bad line is.
func TestSyntaxErrors(t *testing.T) {
	const ok = `{"date": "2022-01-01", "type": "trafikkontroll", "by": "polisen"}`
	tests := []struct {
		path, data string
		want       string
		records    int
	}{
		{"d.json", "[\n" + ok + ",\n" + ok + ",\n]", `d.json:4:1: ogiltig JSON: väntade ett värde, fick ']' (ta bort kommatecknet efter det sista elementet)`, 0},
		{"d.json", `{"date" "2022-01-01"}`, `d.json:1:9: ogiltig JSON: väntade : efter fältnamnet, fick '"'`, 0},
		{"d.json", "[" + ok + "\n" + ok + "]", `d.json:2:1: ogiltig JSON: väntade , eller ] efter ett element, fick '{' (saknas ett kommatecken?)`, 0},
		{"d.json", `{"date": "2022-01-01" "type": "x"}`, `d.json:1:23: ogiltig JSON: väntade , eller } efter ett fält, fick '"' (saknas ett kommatecken?)`, 0},
		{"d.json", `{"date": "2022-01-01}`, `d.json:1:10: ogiltig JSON: texten avslutas aldrig (saknas ett avslutande "?)`, 0},
		{"d.json", "{\"date\": \"2022-01-01\n\"}", `d.json:1:10: ogiltig JSON: texten avslutas inte på raden (saknas ett avslutande "?)`, 0},
		{"d.json", `{"skola": "a\é"}`, `d.json:1:11: ogiltig JSON: ogiltig escape-sekvens i texten (giltiga är \" \\ \/ \b \f \n \r \t och \uXXXX)`, 0},
		{"d.json", `{"skola": "a\x"}`, `d.json:1:11: ogiltig JSON: ogiltig escape-sekvens i texten (giltiga är \" \\ \/ \b \f \n \r \t och \uXXXX)`, 0},
		{"d.json", "{\"skola\": \"a\tb\"}", `d.json:1:13: ogiltig JSON: kontrolltecken '\t' i en text (skriv radbrytning som \n och tabb som \t)`, 0},
		{"d.json", `{'date': '2022-01-01'}`, `d.json:1:2: ogiltig JSON: väntade ett fältnamn, fick '\'' (fältnamn skrivs inom dubbla citattecken)`, 0},
		{"d.json", `{"digital": True}`, `d.json:1:13: ogiltig JSON: okänt värde True (skriv true, false och null med gemener)`, 0},
		{"d.json", `{"skola": Ribba}`, `d.json:1:11: ogiltig JSON: okänt värde Ribba (text skrivs inom dubbla citattecken "…")`, 0},
		{"d.json", `{"deltagare": 012}`, `d.json:1:15: ogiltig JSON: ogiltigt tal "012" (decimaltecknet i JSON är punkt, utan inledande nollor)`, 0},
		{"d.json", `{"timmar": 2,5}`, `d.json:1:14: ogiltig JSON: väntade ett fältnamn, fick '5' (fältnamn skrivs inom dubbla citattecken)`, 0},
		{"d.json", `{"timmar": -}`, `d.json:1:12: ogiltig JSON: ogiltigt tal "-" (decimaltecknet i JSON är punkt, utan inledande nollor)`, 0},
		{"d.json", "[" + ok, `d.json:1:67: ogiltig JSON: väntade , eller ] efter ett element, men texten tar slut (saknas ett kommatecken?)`, 0},
		{"d.json", "// kommentar\n" + ok, `d.json:1:1: ogiltig JSON: väntade ett värde, fick '/'`, 0},
		{"d.json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", `d.json:1:66: ogiltig JSON: för djupt nästlad JSON`, 0},
		{"d.json", "[" + ok + ", {\"date\": \"å\xff\"}]", `d.json:1:80: filen är inte giltig UTF-8 (spara filen som UTF-8)`, 0},
		{"d.jsonl", ok + "\n{\"date\": \"2022-01-0\xe5\"}\n" + ok, `d.jsonl:2:20: ogiltig JSON: ogiltig UTF-8 (spara filen som UTF-8)`, 2},
		{"d.jsonl", ok + "\n{\"date\": \x00}\n" + ok, `d.jsonl:2:10: raden innehåller en NUL-byte (är det en binärfil?)`, 2},
		{"d.jsonl", "\xef\xbb\xbf" + ok + "\n" + ok + " x\n", `d.jsonl:2:67: ogiltig JSON: text efter objektet (varje rad i en .jsonl-fil är ett objekt {…})`, 1},
		{"d.jsonl", ok + "\n\"hej\"", `d.jsonl:2:1: väntade en post, fick värdet "hej" (varje rad i en .jsonl-fil är ett objekt {…})`, 1},
		{"d.json", "\x00", `d.json:1:1: filen innehåller en NUL-byte (är det en binärfil?)`, 0},

		{"d.yaml", "- date: 2022-01-01\n\ttype: x\n", `d.yaml:2: ogiltig YAML: tabbtecken i indraget (indrag görs med mellanslag)`, 0},
		{"d.yaml", "- date: 2022-01-01\n  skola: 'Ribba\n- date: 2022-01-02\n", `d.yaml:2: ogiltig YAML: filen tar slut mitt i ett värde (saknas ett avslutande citattecken?)`, 0},
		{"d.yaml", "- date: 2022-01-01\n  skola: \"Ribba\" skolan\n", `d.yaml:2: ogiltig YAML: väntade ett nytt fältnamn (kontrollera indraget, och att ett värde med citattecken står helt inom citattecken)`, 0},
		{"d.yaml", "date: 2022-01-01\nskola: Ribba: skolan\n", `d.yaml:2: ogiltig YAML: kolon på fel ställe (ett värde som innehåller ": " skrivs inom citattecken; kontrollera indraget)`, 0},
		{"d.yaml", "- date: 2022-01-01\n  type: trafikkontroll\n  by: polisen\n- date: 2022-01-02\n  type: trafikkontroll\n by: polisen\n", `d.yaml:6: ogiltig YAML: fel indrag i listan (posterna i en lista börjar med - i samma kolumn)`, 0},
		{"d.yaml", "- date: 2022-01-01\n  type: trafikkontroll\n  by: [polisen, kommunen\n- date: 2022-01-02\n", `d.yaml:3: ogiltig YAML: listan avslutas inte (saknas ] eller ett kommatecken?)`, 0},
		{"d.yaml", "- date: 2022-01-01\n  type: trafikkontroll\n  by: *p\n", `d.yaml:3: ogiltig YAML: aliaset *p pekar inte på något ankare (ankaret &p ska stå före aliaset)`, 0},
		{"d.yaml", "- date: 2022-01-01\n  type: trafikkontroll\n  by: polisen\n  skola: \"a\\qb\"\n", `d.yaml:4: ogiltig YAML: okänd escape-sekvens i en text inom "…" (skriv \\ för \, eller skriv texten inom '…')`, 0},
		{"d.yaml", "- date: 2022-01-01\n  skola: \"å\xff\"\n", `d.yaml:2:12: filen är inte giltig UTF-8 (spara filen som UTF-8)`, 0},
	}
	for _, tc := range tests {
		recs, diags := Parse(tc.path, []byte(tc.data), testVocab(), testParties)
		var got []string
		for _, d := range diags {
			got = append(got, d.Error())
		}
		if diff := cmp.Diff([]string{tc.want}, got); diff != "" || len(recs) != tc.records {
			t.Errorf("%s %q: %d records, want %d; diagnostics (-want +got):\n%s", tc.path, tc.data, len(recs), tc.records, diff)
		}
	}
}

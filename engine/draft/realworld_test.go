package draft

import (
	"github.com/lofte/lofte/engine/privacy"
	"strings"
	"testing"
)

// ids lists a draft's areas and commitments as "area: commitment id".
func outline(d *Draft) []string {
	var out []string
	for _, c := range d.Commitments {
		out = append(out, c.ID+" "+strings.Join(c.Owner, "+")+" "+ruleOrManual(c))
	}
	return out
}

func ruleOrManual(c *Commitment) string {
	if c.Manual {
		return "manual"
	}
	return strings.ReplaceAll(c.Rule, "\n", " ")
}

// TestRealWorld drafts short documents in the styles of published
// promises and compares the commitments found: id, owners, rule.
func TestRealWorld(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"a PDF's page furniture saved as text: no area from a date or a page number",
			"Medborgarlöfte Gislaved 2024\n\nTrafik\n\n– Polisen ska genomföra hastighetskontroller minst 30 gånger under året.\n\nSida 1 av 2\n\n2024-01-15\n\n– Fältgruppen ska genomföra nattvandringar varje vecka.\n",
			[]string{"trafik.hastighetskontroll polisen count(hastighetskontroll) >= 30", "trafik.nattvandring kommunen count(nattvandring) per vecka >= 1"}},
		{"a numbered list of focus areas is no commitment",
			"# Medborgarlöfte 2024\n\n## Fokusområden\n\n1. Trafiksäkerhet vid skolor\n2. Narkotika bland unga vuxna\n\n## Trafiksäkerhet vid skolor\n\n1. Polisen ska genomföra hastighetskontroller minst två gånger per termin.\n",
			[]string{"trafiksakerhet-vid-skolor.hastighetskontroll polisen count(hastighetskontroll) per termin >= 2"}},
		{"an item naming the party leads its a) b) items",
			"## Våra åtaganden\n\n1. Polisen ska\n   a) genomföra 20 trafikkontroller i centrum under året,\n   b) besöka alla högstadieskolor en gång per termin.\n2. Kommunen ska:\n   a) röja buskage i parkerna vid behov.\n",
			[]string{"vara-ataganden.trafikkontroll polisen count(trafikkontroll, .plats == \"centrum\") >= 20", "vara-ataganden.besok polisen count(besok) per termin >= 1", "vara-ataganden.buskage kommunen manual"}},
		{"a frequency for a part of the year is no rule for the year; a total for it is",
			"## Parker\n\n- Polisen ska patrullera parkerna varannan vecka under sommarhalvåret.\n- Fältgruppen ska genomföra nattvandringar varje helg under sommarlovet.\n- Polisen ska genomföra minst 15 mopedkontroller under perioden maj–september.\n- Polisen ska genomföra trafikkontroller två gånger per månad under perioden april till september.\n",
			[]string{"parker.patrullering polisen manual", "parker.nattvandring kommunen manual", "parker.mopedkontroll polisen count(mopedkontroll) >= 15", "parker.trafikkontroll polisen manual"}},
		{"a lead line saying the parties do it together counts records by both",
			"Gemensamt åtar vi oss att:\n\n• genomföra en medborgardialog varannan månad\n• hålla två uppföljningsmöten per år\n",
			[]string{`allmant.medborgardialog polisen+kommunen count(medborgardialog, "polisen" in .by && "kommunen" in .by) >= 6`, `allmant.uppfoljning polisen+kommunen count(uppfoljning, "polisen" in .by && "kommunen" in .by) >= 2`}},
		{"a PDF's wrapped item goes on on a line starting with a number, whatever the longest lines",
			"Medborgarlöfte Gislaved 2024\nPolismyndigheten och Gislaveds kommun har kommit överens om följande medborgarlöfte för 2024. Löftet bygger på lägesbilden och på vad invånarna har sagt vid medborgardialogerna under hösten.\n\nTrafik\n– Polisen ska genomföra hastighetskontroller på Storgatan vid minst\n30 tillfällen under året.\n– Kommunen ska hålla en medborgardialog om trafiken\nvarje kvartal.\n",
			[]string{"trafik.hastighetskontroll polisen count(hastighetskontroll) >= 30", "trafik.medborgardialog kommunen count(medborgardialog) per kvartal >= 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Read(tt.text, Options{Year: 2030})
			got := outline(d)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("commitments\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestNoIDNumber: an identity number in the document is not copied into
// the draft (the promise would not pass check, and it is personal data).
func TestNoIDNumber(t *testing.T) {
	text := "# Medborgarlöfte Habo 2025\n\n- Polisen ska hålla två medborgardialoger per år (kontakt 19811218-9876).\n\nAnna Exempel 811218-9876, kommundirektör\n"
	d := Read(text, Options{Year: 2030})
	y := d.YAML()
	if privacy.ContainsIDNumber(string(y)) {
		t.Errorf("the draft holds an identity number:\n%s", y)
	}
	acts, _, err := d.MergeActivities(nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs := Verify("rules/habo.yaml", y, acts); len(errs) > 0 {
		t.Errorf("the draft does not pass check: %v", errs)
	}
}

package privacy

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestContainsIDNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"811218-9876", true},                // valid Luhn
		{"8112189876", true},                 // without separator
		{"19811218-9876", true},              // 12 digits with separator
		{"198112189876", true},               // 12 digits
		{"811218+9876", true},                // over 100 years old
		{"19811218+9876", true},              //
		{"811278-9870", false},               // samordningsnummer day 78 → 18, but check digit wrong
		{"811278-9873", true},                // samordningsnummer, valid
		{"811218-9875", false},               // wrong check digit
		{"811318-9876", false},               // month 13
		{"811200-9876", false},               // day 0
		{"Kontakt 811218-9876 ringde", true}, // in free text
		{"ärende 12811218-98761", false},     // part of a longer number
		{"2022-03-14", false},                // a date
		{"104 kontroller", false},            //
		{"30198112189876", false},            // 14 digits
		{"17811218-9876", false},             // century 17
		{"tel 0701234567", false},            // Luhn fails
		{"5-811218-9876", true},              // after a dash
		{"", false},

		// Look-alike separators before the last four.
		{"19811218\u2013" + "9876", true}, // en dash, as a word processor puts it
		{"811218\u2013" + "9876", true},
		{"19811218\u2014" + "9876", true},        // em dash
		{"19811218\u2010" + "9876", true},        // hyphen
		{"19811218\u2011" + "9876", true},        // non-breaking hyphen
		{"19811218\u2012" + "9876", true},        // figure dash
		{"19811218\u2212" + "9876", true},        // minus sign
		{"19811218\uFE63" + "9876", true},        // small hyphen-minus
		{"19811218\uFF0D" + "9876", true},        // fullwidth hyphen-minus
		{"19811218\u2E3A" + "9876", true},        // two-em dash (Pd)
		{"19811218 9876", true},                  // a space
		{"811218 9876", true},                    //
		{"19811218\u00A0" + "9876", true},        // no-break space
		{"19811218\u202F" + "9876", true},        // narrow no-break space
		{"19811218\uFF0B" + "9876", true},        // fullwidth plus
		{"19811218  9876", false},                // two spaces: two numbers
		{"19811218_9876", false},                 // not a separator
		{"811218 - 9876", true},                  // a dash between spaces
		{"19811218 - 9876", true},                //
		{"811218 -9876", true},                   //
		{"811218- 9876", true},                   //
		{"19811218 + 9876", true},                // a plus between spaces
		{"19811218\u00A0\u2013\u00A09876", true}, // en dash between no-break spaces
		{"811218 - 9875", false},                 // check digit
		{"811218 -- 9876", false},                // two dashes
		{"811218 -  9876", false},                // two spaces
		{"811218 - 98765", false},                // a longer run
		{"19811218\u2013\u2013" + "9876", false}, // two dashes

		// Fullwidth digits.
		{"１９８１１２１８－９８７６", true},
		{"１９８１１２１８-９８７６", true},
		{"８１１２１８９８７６", true},
		{"19811218-９８７６", true},
		{"１９８１１２１８-９８７５", false},  // check digit
		{"１19811218-9876", false}, // a longer run

		// Invisible characters inside the number.
		{"1981\u200B1218-9876", true},
		{"19811218\u200C-9876", true},
		{"19811218-\u200D9876", true},
		{"198112\u2060189876", true},
		{"\uFEFF19811218-98\uFEFF76", true},
		{"8112\u00AD18-9876", true},     // soft hyphen
		{"5\u200B19811218-9876", false}, // a longer run still
		{"19811218-9876\u200B5", false},

		// Dashes in the date.
		{"1981-12-18-9876", true},
		{"1981\u201312\u201318\u20139876", true},
		{"81-12-18-9876", true},
		{"född 1981-12-18-9876.", true},
		{"1981-12-18 9876", false},            // a date and a time: not one
		{"2022-03-14 1530", false},            //
		{"1981-12-18-9875", false},            // check digit
		{"2022-03-01-2022-03-31", false},      // a range of dates
		{"2022-03-01\u20132022-03-31", false}, //
		{"x-1981-12-18-9876", true},           // after a word
		{"4-1981-12-18-9876", false},          // a link of a chain
		{"1981-12-18-9876-4", false},          //
	}
	for _, tt := range tests {
		if got := ContainsIDNumber(tt.in); got != tt.want {
			t.Errorf("ContainsIDNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if tt.want {
			if r := Redact(tt.in); ContainsIDNumber(r) || strings.Contains(r, "9876") || strings.Contains(r, "９８７６") {
				t.Errorf("Redact(%q) = %q, keeps a part of the number", tt.in, r)
			}
			m := Mask(tt.in)
			if ContainsIDNumber(m) || strings.Contains(m, "9876") || strings.Contains(m, "９８７６") {
				t.Errorf("Mask(%q) = %q, keeps a part of the number", tt.in, m)
			}
			if utf8.RuneCountInString(m) != utf8.RuneCountInString(tt.in) {
				t.Errorf("Mask(%q) = %q, changes the number of characters", tt.in, m)
			}
		} else if Redact(tt.in) != tt.in || Mask(tt.in) != tt.in {
			t.Errorf("Redact or Mask changed %q, which holds no number", tt.in)
		}
	}
}

func TestIndex(t *testing.T) {
	for in, want := range map[string]int{"": -1, "811218-9876": 0, "åå 19811218\u20139876": 5, "2022-03-14": -1} {
		if got := Index(in); got != want {
			t.Errorf("Index(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	got := Redact("a 811218-9876 och 198112189876, inte 2022-03-14, 1981\u201312\u201318\u20139876")
	want := "a ÅÅMMDD-NNNN och ÅÅMMDD-NNNN, inte 2022-03-14, ÅÅMMDD-NNNN"
	if got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plats: "19811218-9876"}`, `plats: "XXXXXXXX-XXXX"}`},
		{"a 811218+9876 b 8112189876", "a XXXXXX-XXXX b XXXXXXXXXX"},
		{"19811218\u2013" + "9876", "XXXXXXXX-XXXX"},
		{"１９８１１２１８－９８７６!", "XXXXXXXX-XXXX!"},
		{"1981\u200B1218-9876", "XXXX-XXXX-XXXX"},
		{"data/2022/811218-9876/19811218-9876.yaml", "data/2022/XXXXXX-XXXX/XXXXXXXX-XXXX.yaml"},
		{"inget här", "inget här"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzContainsIDNumber(f *testing.F) {
	for _, s := range []string{
		"811218-9876", "198112189876", "x 811278-9873 y", "811218+", "12-3456",
		"19811218\u2013" + "9876", "1981-12-18-9876", "１９８１１２１８－９８７６",
		"1981\u200B1218-9876", "811218 9876", "2022-03-01\u20132022-03-31",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ContainsIDNumber(s)
		// Letters around a number never change the answer.
		if ContainsIDNumber("a "+s+" b") != got {
			t.Fatalf("context changed the answer for %q", s)
		}
		if r := Redact(s); ContainsIDNumber(r) {
			t.Fatalf("Redact(%q) = %q still holds a number", s, r)
		}
		m := Mask(s)
		if ContainsIDNumber(m) {
			t.Fatalf("Mask(%q) = %q still holds a number", s, m)
		}
		if utf8.RuneCountInString(m) != utf8.RuneCountInString(s) {
			t.Fatalf("Mask(%q) = %q changes the number of characters", s, m)
		}
		if !got && (m != s || Redact(s) != s) {
			t.Fatalf("Mask or Redact changed %q, which holds no number", s)
		}
	})
}

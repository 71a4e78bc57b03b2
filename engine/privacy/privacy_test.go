package privacy

import "testing"

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
		{"811218 9876", false},               // space: not one of the forms
		{"tel 0701234567", false},            // Luhn fails
		{"", false},
	}
	for _, tt := range tests {
		if got := ContainsIDNumber(tt.in); got != tt.want {
			t.Errorf("ContainsIDNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	got := Redact("a 811218-9876 och 198112189876, inte 2022-03-14")
	want := "a ÅÅMMDD-NNNN och ÅÅMMDD-NNNN, inte 2022-03-14"
	if got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}

func FuzzContainsIDNumber(f *testing.F) {
	for _, s := range []string{"811218-9876", "198112189876", "x 811278-9873 y", "811218+", "12-3456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ContainsIDNumber(s)
		// Letters around a number never change the answer.
		if ContainsIDNumber("a "+s+" b") != got {
			t.Fatalf("context changed the answer for %q", s)
		}
		if ContainsIDNumber(Redact(s)) {
			t.Fatalf("Redact(%q) still holds a number", s)
		}
	})
}

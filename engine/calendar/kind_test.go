package calendar

import "testing"

func TestParseKind(t *testing.T) {
	tests := []struct {
		in   string
		want Kind
		ok   bool
	}{
		{"år", Year, true}, {"ÅR", Year, true}, {"year", Year, true}, {"Year", Year, true}, {"ar", Year, true},
		{"a\u030ar", Year, true}, // decomposed å
		{"halvår", Half, true}, {"HALVÅR", Half, true}, {"half", Half, true}, {"halvar", Half, true},
		{"tertial", Tertial, true}, {"Tertial", Tertial, true},
		{"kvartal", Quarter, true}, {"quarter", Quarter, true},
		{"månad", Month, true}, {"Månad", Month, true}, {"month", Month, true}, {"manad", Month, true},
		{"vecka", Week, true}, {"week", Week, true}, {"VECKA", Week, true},
		{"dag", Day, true}, {"day", Day, true},
		{"termin", Term, true}, {"term", Term, true}, {" termin ", Term, true},
		{"", 0, false}, {"terminer", 0, false}, {"veckor", 0, false}, {"hour", 0, false}, {"läsår", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseKind(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseKind(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestKindNames(t *testing.T) {
	tests := []struct {
		k      Kind
		sv, en string
	}{
		{Year, "år", "year"}, {Half, "halvår", "half"}, {Tertial, "tertial", "tertial"},
		{Quarter, "kvartal", "quarter"}, {Month, "månad", "month"}, {Week, "vecka", "week"},
		{Day, "dag", "day"}, {Term, "termin", "term"}, {Term + 1, "Kind(8)", "Kind(8)"},
	}
	for _, tt := range tests {
		if tt.k.String() != tt.sv || tt.k.English() != tt.en {
			t.Errorf("Kind %d: %q, %q; want %q, %q", int(tt.k), tt.k.String(), tt.k.English(), tt.sv, tt.en)
		}
		if !tt.k.valid() {
			continue
		}
		for _, name := range []string{tt.sv, tt.en} {
			if k, ok := ParseKind(name); k != tt.k || !ok {
				t.Errorf("ParseKind(%q) = %v, %v; want %v", name, k, ok, tt.k)
			}
		}
	}
	names := KindNames()
	if len(names) != 18 {
		t.Errorf("KindNames() has %d names, want 18: %q", len(names), names)
	}
	for _, name := range names {
		if _, ok := ParseKind(name); !ok {
			t.Errorf("KindNames() lists %q, which ParseKind rejects", name)
		}
	}
	names[0] = "changed"
	if KindNames()[0] != "år" {
		t.Error("KindNames returns a slice shared between callers")
	}
}

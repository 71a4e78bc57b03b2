package calendar

import (
	"slices"
	"strings"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in    string
		want  Period
		years []int
		str   string
	}{
		{"2022", Period{2022, 2022}, []int{2022}, "2022"},
		{"2021..2022", Period{2021, 2022}, []int{2021, 2022}, "2021..2022"},
		{"2022..2022", Period{2022, 2022}, []int{2022}, "2022"},
		{"2019..2022", Period{2019, 2022}, []int{2019, 2020, 2021, 2022}, "2019..2022"},
		{" 2021 .. 2022 ", Period{2021, 2022}, []int{2021, 2022}, "2021..2022"},
		{"1900..2999", Period{1900, 2999}, nil, "1900..2999"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err != nil || p != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", tt.in, p, err, tt.want)
			continue
		}
		if tt.years != nil && !slices.Equal(p.Years(), tt.years) {
			t.Errorf("%v.Years() = %v, want %v", p, p.Years(), tt.years)
		}
		if len(p.Years()) != p.Last-p.First+1 {
			t.Errorf("%v.Years() has %d years", p, len(p.Years()))
		}
		if p.String() != tt.str {
			t.Errorf("%v.String() = %q, want %q", tt.want, p.String(), tt.str)
		}
		if again, err := ParsePeriod(p.String()); err != nil || again != p {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", p.String(), again, err, p)
		}
	}
}

func TestParsePeriodErrors(t *testing.T) {
	const garbage = ": skriv ett år (2022) eller två år med .. emellan (2021..2022)"
	tests := []struct{ in, want string }{
		{"", `okänd period ""` + garbage},
		{"i år", `okänd period "i år"` + garbage},
		{"22", `okänd period "22"`},
		{"2021-2022", `okänd period "2021-2022"`},
		{"2021...2022", `okänd period "2021...2022"`},
		{"2021..", `okänd period "2021.."`},
		{"..2022", `okänd period "..2022"`},
		{"2021..2022..2023", `okänd period "2021..2022..2023"`},
		{"2022-VT", `okänd period "2022-VT"`},
		{"+202", `okänd period "+202"`},
		{"2023..2021", `perioden "2023..2021" går baklänges: skriv det tidigare året först (2021..2023)`},
		{"1899", `året 1899 i perioden "1899" ligger utanför 1900–2999`},
		{"2021..3000", `året 3000 i perioden "2021..3000" ligger utanför 1900–2999`},
		{"0000", `året 0 i perioden "0000" ligger utanför 1900–2999`},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParsePeriod(%q) = %v, %v; want error %q", tt.in, p, err, tt.want)
		}
	}
	if got := (Period{2023, 2021}).Years(); got != nil {
		t.Errorf("a backward period has years %v", got)
	}
}

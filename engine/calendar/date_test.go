package calendar

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestDateAgreesWithTime checks the integer date maths against package
// time for every day from 1600 to 3100, far past the 2262 limit of
// time.Duration.
func TestDateAgreesWithTime(t *testing.T) {
	start := time.Date(1600, time.January, 1, 0, 0, 0, 0, time.UTC)
	d := NewDate(1600, time.January, 1)
	for tm := start; tm.Year() <= 3100; tm, d = tm.AddDate(0, 0, 1), d+1 {
		y, m, dd := tm.Date()
		if got := NewDate(y, m, dd); got != d {
			t.Fatalf("NewDate(%d, %d, %d) = %d, want %d", y, m, dd, got, d)
		}
		gy, gm, gd := d.Date()
		if gy != y || gm != m || gd != dd {
			t.Fatalf("Date(%d).Date() = %d-%d-%d, want %s", d, gy, gm, gd, tm.Format(time.DateOnly))
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%s: Weekday = %v, want %v", tm.Format(time.DateOnly), d.Weekday(), tm.Weekday())
		}
		iy, iw := d.ISOWeek()
		if ty, tw := tm.ISOWeek(); iy != ty || iw != tw {
			t.Fatalf("%s: ISOWeek = %d-W%02d, want %d-W%02d", tm.Format(time.DateOnly), iy, iw, ty, tw)
		}
		if s := d.String(); s != tm.Format(time.DateOnly) {
			t.Fatalf("String = %s, want %s", s, tm.Format(time.DateOnly))
		}
	}
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{1970, time.January, 1, "1970-01-01"},
		{1969, time.December, 31, "1969-12-31"},
		{2024, time.February, 29, "2024-02-29"},
		{2023, time.February, 29, "2023-03-01"}, // normalised, as time.Date
		{2022, time.March, 0, "2022-02-28"},
		{2022, 13, 1, "2023-01-01"},
		{2022, 0, 1, "2021-12-01"},
		{2022, -11, 1, "2021-01-01"},
		{2022, -12, 1, "2020-12-01"},
		{2022, time.October, 32, "2022-11-01"},
		{2999, time.December, 31, "2999-12-31"},
		{1900, time.January, 1, "1900-01-01"},
		{1, time.January, 1, "0001-01-01"},
	}
	for _, tt := range tests {
		if got := NewDate(tt.y, tt.m, tt.d).String(); got != tt.want {
			t.Errorf("NewDate(%d, %d, %d) = %s, want %s", tt.y, tt.m, tt.d, got, tt.want)
		}
		want := time.Date(tt.y, tt.m, tt.d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		if got := NewDate(tt.y, tt.m, tt.d).String(); got != want {
			t.Errorf("NewDate(%d, %d, %d) = %s, time.Date gives %s", tt.y, tt.m, tt.d, got, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "2022-03-14", want: "2022-03-14"},
		{in: "2024-02-29", want: "2024-02-29"},
		{in: "2000-02-29", want: "2000-02-29"},
		{in: "2999-12-31", want: "2999-12-31"},
		{in: "2023-02-29", wantErr: "inget giltigt datum"},
		{in: "1900-02-29", wantErr: "inget giltigt datum"},
		{in: "2022-02-30", wantErr: "inget giltigt datum"},
		{in: "2022-04-31", wantErr: "inget giltigt datum"},
		{in: "2022-13-01", wantErr: "inget giltigt datum"},
		{in: "2022-00-10", wantErr: "inget giltigt datum"},
		{in: "2022-01-00", wantErr: "inget giltigt datum"},
		{in: "2022-3-14", wantErr: "ÅÅÅÅ-MM-DD"},
		{in: "2022/03/14", wantErr: "ÅÅÅÅ-MM-DD"},
		{in: "+022-03-14", wantErr: "ÅÅÅÅ-MM-DD"},
		{in: "2022-+3-14", wantErr: "ÅÅÅÅ-MM-DD"},
		{in: "", wantErr: "ÅÅÅÅ-MM-DD"},
		{in: "14 mars 2022", wantErr: "ÅÅÅÅ-MM-DD"},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.in) {
				t.Errorf("ParseDate(%q) = %v, %v; want an error naming it and %q", tt.in, d, err, tt.wantErr)
			}
		case err != nil || d.String() != tt.want:
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.in, d, err, tt.want)
		}
	}
}

func TestDateText(t *testing.T) {
	var v struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2024-02-29"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.D != NewDate(2024, time.February, 29) {
		t.Errorf("decoded %v, want 2024-02-29", v.D)
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) != `{"D":"2024-02-29"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"2023-02-29"}`), &v); err == nil {
		t.Error("decoding 2023-02-29: no error")
	}
}

func TestTimeAndToday(t *testing.T) {
	d := NewDate(2022, time.March, 27) // the night summer time starts
	if got := d.Time(); got.Location() != Stockholm || got.Hour() != 0 || FromTime(got) != d {
		t.Errorf("Time() = %v, want midnight 2022-03-27 in Stockholm", got)
	}
	tests := []struct {
		instant string
		want    string
	}{
		{"2022-03-14T22:59:59Z", "2022-03-14"},
		{"2022-03-14T23:00:00Z", "2022-03-15"}, // CET, UTC+1
		{"2022-06-30T21:59:59Z", "2022-06-30"},
		{"2022-06-30T22:00:00Z", "2022-07-01"}, // CEST, UTC+2
		{"2021-12-31T23:30:00Z", "2022-01-01"},
	}
	for _, tt := range tests {
		instant, err := time.Parse(time.RFC3339, tt.instant)
		if err != nil {
			t.Fatal(err)
		}
		if got := Today(instant).String(); got != tt.want {
			t.Errorf("Today(%s) = %s, want %s", tt.instant, got, tt.want)
		}
	}
}

func TestAddDays(t *testing.T) {
	d := NewDate(2024, time.February, 28)
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(-59).String(); got != "2023-12-31" {
		t.Errorf("AddDays(-59) = %s", got)
	}
}

// TestSuggestDate: dates written day first or with slashes or dots are
// read so that a message can say how to write them; anything else is not.
func TestSuggestDate(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"31/12/2022", "2022-12-31"},
		{"1/2/2022", "2022-02-01"},
		{"31.12.2022", "2022-12-31"},
		{"31-12-2022", "2022-12-31"},
		{"2022/12/31", "2022-12-31"},
		{" 2022.3.4 ", "2022-03-04"},
		{"12/31/2022", ""}, // month 31: not a date day first
		{"31/02/2022", ""},
		{"2022-12-31", ""}, // already right: nothing to suggest
		{"2022-T2", ""},
		{"31/12/22", ""},
		{"31 12 2022", ""},
		{"", ""},
	} {
		d, ok := SuggestDate(c.in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != c.want {
			t.Errorf("SuggestDate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

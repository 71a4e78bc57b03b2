package eval

import (
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/rule"
)

// TestProvisional: a count behind its pace is provisional when the
// records of the last days, which the type's 90th percentile lag says
// are typically still missing, explain the gap; not when they do not, when
// the records were known long enough after the evaluation date, when the
// type has no measured lag, or when the window is behind for its end.
func TestProvisional(t *testing.T) {
	f := newFixture(t)
	lag := Lag{Type: "kontroll", Title: "Kontroll", Median: 4, P90: 12, Records: 40}
	tests := []struct {
		name      string
		rule      string
		n         int // records, one a day from 2022-01-01
		asOf      string
		known     string
		lags      map[string]Lag
		want      Status
		wantProvl bool
	}{
		// 2022-08-31: expected 69; 12 days earlier (2022-08-19) 65, 7
		// days earlier (2022-08-24) 67.
		{"gap within the lag", "count(kontroll) >= 104", 66, "2022-08-31", "2022-08-31", map[string]Lag{"kontroll": lag}, Behind, true},
		{"gap beyond the lag", "count(kontroll) >= 104", 61, "2022-08-31", "2022-08-31", map[string]Lag{"kontroll": lag}, Behind, false},
		{"known 12 days later", "count(kontroll) >= 104", 66, "2022-08-31", "2022-09-12", map[string]Lag{"kontroll": lag}, Behind, false},
		{"known 5 days later", "count(kontroll) >= 104", 67, "2022-08-31", "2022-09-05", map[string]Lag{"kontroll": lag}, Behind, true},
		{"no lag measured", "count(kontroll) >= 104", 66, "2022-08-31", "2022-08-31", map[string]Lag{"hundsok": lag}, Behind, false},
		{"not known", "count(kontroll) >= 104", 66, "2022-08-31", "", map[string]Lag{"kontroll": lag}, Behind, false},
		{"near the end", "count(kontroll) >= 104", 103, "2022-12-10", "2022-12-10", map[string]Lag{"kontroll": lag}, Behind, false},
		{"on track", "count(kontroll) >= 104", 70, "2022-08-31", "2022-08-31", map[string]Lag{"kontroll": lag}, OnTrack, false},
		{"another part behind", "count(kontroll) >= 104 && count(hundsok) >= 12", 66, "2022-08-31", "2022-08-31", map[string]Lag{"kontroll": lag}, Behind, false},
		{"another part on track", "count(kontroll) >= 104 && count(hundsok) >= 1", 66, "2022-08-31", "2022-08-31", map[string]Lag{"kontroll": lag}, Behind, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := commitment(tc.rule)
			p := &promise.Promise{ID: "p", Valid: calendar.Period{First: 2022, Last: 2022}, Commitments: []*promise.Commitment{c}}
			c.Promise = p
			r, errs := f.env.Compile(c.Rule)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var rs []record.Record
			for i := range tc.n {
				rs = append(rs, record.Record{Type: "kontroll", Date: d("2022-01-01").AddDays(i), By: []string{"polisen"}, Values: []any{nil, nil, nil}})
			}
			set := record.NewSet(rs)
			in := Input{Vocab: f.voc, Calendar: f.cal, Tables: f.env.Tables(set, d("2021-01-01"), d("2023-12-31")), Records: set,
				Rules: map[*promise.Commitment]*rule.Rule{c: r}, Lags: tc.lags}
			if tc.known != "" {
				in.Known = d(tc.known)
			}
			var derrs diag.List
			res := Evaluate(in, p, 2022, d(tc.asOf), &derrs).Results[0]
			if res.Status != tc.want || res.Provisional != tc.wantProvl {
				t.Fatalf("status %s provisional %v, want %s %v", res.Status, res.Provisional, tc.want, tc.wantProvl)
			}
			if tc.wantProvl && (len(res.Lags) != 1 || res.Lags[0] != lag || !res.Windows[0].Provisional) {
				t.Errorf("lags %+v, window %+v", res.Lags, res.Windows[0])
			}
		})
	}
}

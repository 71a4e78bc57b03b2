package repository_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/repository"
)

// scopeFiles is a repository of two promises, each counting its own
// folder, and a shared file neither counts.
func scopeFiles() map[string]string {
	promise := func(id, target, data string) string {
		return "promise: " + id + "\nparties: {polisen: Polisen, kommunen: Kommunen}\nvalid: 2022\n" + data +
			"commitments:\n  - id: k\n    owner: polisen\n    rule: count(k) >= " + target +
			"\n  - id: m\n    owner: kommunen\n    assess: manual\n"
	}
	return map[string]string{
		"rules/activities.yaml":  "activities:\n  k:\n    fields: {}\n",
		"rules/a.yaml":           promise("a", "2", "data: data/a/\n"),
		"rules/b.yaml":           promise("b", "1", "data: [data/b, data/gemensam/b]\n"),
		"rules/alla.yaml":        promise("alla", "4", ""),
		"data/a/k.csv":           "date,type,by\n2022-01-10,k,polisen\n2022-02-10,k,polisen\n",
		"data/b/k.csv":           "date,type,by\n2022-01-10,k,polisen\n",
		"data/gemensam/b/m.yaml": "- {date: 2022-03-01, type: assessment, by: kommunen, commitment: m, status: met}\n",
		"data/ab.csv":            "date,type,by\n2022-03-10,k,polisen\n",
	}
}

func TestPromiseData(t *testing.T) {
	r := repository.Load(snapshot(scopeFiles()))
	want := []string{
		"a 2022 k met broken=false 2022:met=2/2",
		"a 2022 m unassessed broken=false 2022:unassessed",
		"alla 2022 k met broken=false 2022:met=4/4",
		"alla 2022 m met broken=false 2022:met",
		"b 2022 k met broken=false 2022:met=1/1",
		"b 2022 m met broken=false 2022:met",
	}
	if diff := cmp.Diff(want, evaluate(r)); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
	l := repository.NewLoader()
	r = l.Load(snapshot(scopeFiles()))
	rep := l.Evaluate(r, calendar.Period{First: 2022, Last: 2022}, incAsOf)
	if diff := cmp.Diff(want, outcome(rep)); diff != "" {
		t.Errorf("Loader (-want +got):\n%s", diff)
	}
	if n := r.RecordsOf(r.Promises[0]).Len(); n != 2 {
		t.Errorf("promise a has %d records, want 2", n)
	}
}

func TestNarrow(t *testing.T) {
	for _, tc := range []struct {
		patterns []string
		want     string // promise ids kept, or the error
	}{
		{nil, "a alla b"},
		{[]string{"a"}, "a"},
		{[]string{"a*"}, "a alla"},
		{[]string{"b", "a"}, "a b"},
		{[]string{"alal"}, `okänt löfte "alal" (menade du ` + "`alla`" + `?)`},
		{[]string{"zzzzzzz"}, `okänt löfte "zzzzzzz" (löftena är a, alla, b)`},
		{[]string{"[a"}, `ogiltigt mönster "[a" för --promise: syntax error in pattern`},
	} {
		r := repository.Load(snapshot(scopeFiles()))
		var got string
		if err := r.Narrow(tc.patterns); err != nil {
			got = err.Error()
		} else {
			var ids []string
			for _, p := range r.Promises {
				ids = append(ids, p.ID)
			}
			got = strings.Join(ids, " ")
		}
		if got != tc.want {
			t.Errorf("Narrow(%q) = %s, want %s", tc.patterns, got, tc.want)
		}
	}
}

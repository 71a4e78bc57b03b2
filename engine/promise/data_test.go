package promise

import (
	"slices"
	"testing"
)

func TestDataFolders(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"", nil},
		{"data: data/mullsjo/\n", []string{"data/mullsjo"}},
		{"data: data\n", []string{"data"}},
		{"data: [data/a, data/b/c/, data/a]\n", []string{"data/a", "data/b/c"}},
		{"data:\n  - ./data/a\n", []string{"data/a"}},
	} {
		src := "promise: p\nvalid: 2022\nparties: {polisen: Polisen}\n" + tc.src + "commitments: []\n"
		p, errs := ParsePromise("rules/p.yaml", []byte(src))
		if len(errs) > 0 {
			t.Fatalf("%q: %v", tc.src, errs)
		}
		if !slices.Equal(p.Data, tc.want) {
			t.Errorf("%q: Data = %q, want %q", tc.src, p.Data, tc.want)
		}
	}
}

func TestCounts(t *testing.T) {
	p := &Promise{Data: []string{"data/mullsjo", "data/gemensamt/2022"}}
	for file, want := range map[string]bool{
		"data/mullsjo/2022/a.csv":    true,
		"data/mullsjo.csv":           false,
		"data/mullsjoxx/a.csv":       false,
		"data/gemensamt/2022/b.yaml": true,
		"data/gemensamt/2021/b.yaml": false,
		"data/habo/2022/trafik.csv":  false,
	} {
		if got := p.Counts(file); got != want {
			t.Errorf("Counts(%q) = %v, want %v", file, got, want)
		}
	}
	if !(&Promise{}).Counts("data/x.csv") {
		t.Error("a promise without data: counts every file")
	}
}

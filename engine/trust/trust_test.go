package trust

import (
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
)

func TestMatches(t *testing.T) {
	pats := []string{"*@polisen.se", "Anna@Mullsjo.se"}
	for email, want := range map[string]bool{
		"eva@polisen.se":      true,
		"EVA@Polisen.SE":      true,
		"anna@mullsjo.se":     true,
		"bo@mullsjo.se":       false,
		"eva@sub.polisen.se":  false,
		"eva@polisen.se.evil": false,
		"":                    false,
	} {
		if got := Matches(pats, email); got != want {
			t.Errorf("Matches(%q) = %v", email, got)
		}
	}
}

func TestJudge(t *testing.T) {
	p := &promise.Promise{ID: "p", Strict: true, Parties: []promise.Party{
		{ID: "polisen", Authors: []string{"*@polisen.se"}},
		{ID: "kommunen", Authors: []string{"*@mullsjo.se"}},
		{ID: "region"},
	}}
	pol, errs := NewPolicy(p, func(string) ([]byte, bool) { return nil, false })
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	police := &source.Commit{Hash: "1", Email: "eva@polisen.se"}
	town := &source.Commit{Hash: "2", Email: "bo@mullsjo.se"}
	other := &source.Commit{Hash: "3", Email: "x@example.org"}
	for _, tc := range []struct {
		by   []string
		c    *source.Commit
		want string // a fragment of the reason, "" when it counts
	}{
		{[]string{"polisen"}, police, ""},
		{[]string{"polisen"}, town, "hör inte till polisen"},
		{[]string{"polisen", "kommunen"}, town, ""},
		{[]string{"polisen", "kommunen"}, other, "hör inte till polisen (authors: *@polisen.se); författaren hör inte till kommunen"},
		{[]string{"region"}, other, ""},
		{[]string{"region", "polisen"}, other, "hör inte till polisen"},
		{[]string{"region"}, nil, ""},
		{[]string{"polisen"}, nil, "inte incheckad"},
		{[]string{"okänd"}, other, ""},
	} {
		got := pol.Judge(tc.by, tc.c, nil)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Judge(%v, %v) = %q, want %q", tc.by, tc.c, got, tc.want)
		}
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/repository"
)

// Completion that knows the repository: the values of the flags and
// arguments that name something in it come from it, read the way the
// command would read it (--repo included). A repository that cannot be
// read completes to nothing; completion never writes.

// addRepoCompletion registers the completion of the repository's names on
// every command of root: the flags --promise, --period, --rev, --by,
// --known-at and --as-of wherever they are, and the arguments of explain
// (commitment ids), record (activity types, fields, enum values) and diff
// (years and revisions). A flag or command that has its own completion
// keeps it.
func addRepoCompletion(root *cobra.Command, g *globals) {
	flags := map[string]cobra.CompletionFunc{
		"promise":  g.completePromises,
		"period":   g.completePeriods,
		"rev":      g.completeRevisions,
		"by":       g.completeParties,
		"known-at": noFiles,
		"as-of":    g.completeAsOf,
	}
	for _, c := range root.Commands() {
		for name, fn := range flags {
			if c.Flags().Lookup(name) == nil {
				continue
			}
			if _, ok := c.GetFlagCompletionFunc(name); ok {
				continue
			}
			_ = c.RegisterFlagCompletionFunc(name, fn) // only fails when registered: checked above
		}
		if c.ValidArgsFunction != nil {
			continue
		}
		switch c.Name() {
		case "explain":
			c.ValidArgsFunction = g.completeExplain
		case "record":
			c.ValidArgsFunction = g.completeRecord
		case "diff":
			c.ValidArgsFunction = g.completeDiff
		}
	}
}

// addBashShim makes `lofte completion bash` work without the
// bash-completion package: the script begins with bashShim.
func addBashShim(root *cobra.Command) {
	c, _, err := root.Find([]string{"completion", "bash"})
	if err != nil || c.Name() != "bash" || c.RunE == nil {
		return
	}
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if _, err := io.WriteString(cmd.OutOrStdout(), bashShim); err != nil {
			return err
		}
		return run(cmd, args)
	}
}

func noFiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// repository reads the repository as evaluate would (the working tree,
// or --rev when the command has it), without history.
func (g *globals) repository(cmd *cobra.Command) *repository.Repository {
	var rev string
	if f := cmd.Flags().Lookup("rev"); f != nil {
		rev = f.Value.String()
	}
	e, err := engine.Open(g.repo, engine.Options{Rev: rev, MaxFileSize: int64(g.maxFileSize), History: engine.HistoryOff, Today: today})
	if err != nil {
		return nil
	}
	return e.Repository()
}

// described is a completion with its description, on one line.
func described(value, desc string) cobra.Completion {
	desc = strings.Join(strings.Fields(desc), " ")
	if r := []rune(desc); len(r) > 60 {
		desc = string(r[:59]) + "…"
	}
	return cobra.CompletionWithDesc(value, desc)
}

func (g *globals) completePromises(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	r := g.repository(cmd)
	if r == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, p := range r.Promises {
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, described(p.ID, fmt.Sprintf("%s (%s)", p.Title, p.Valid)))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// years are the years the repository's promises govern, in order.
func years(r *repository.Repository) []int {
	var ys []int
	for _, p := range r.Promises {
		for _, y := range p.Valid.Years() {
			if !slices.Contains(ys, y) {
				ys = append(ys, y)
			}
		}
	}
	slices.Sort(ys)
	return ys
}

// completePeriods: every year a promise governs, and the span of all of
// them.
func (g *globals) completePeriods(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	r := g.repository(cmd)
	if r == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ys := years(r)
	var out []cobra.Completion
	for _, y := range ys {
		out = append(out, strconv.Itoa(y))
	}
	if len(ys) > 1 {
		out = append(out, fmt.Sprintf("%d..%d", ys[0], ys[len(ys)-1]))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeAsOf: the ends of the tertials, halves and terms of the
// period's years (2022-T2 is its last day), as --as-of reads them.
func (g *globals) completeAsOf(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	r := g.repository(cmd)
	if r == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, y := range years(r) {
		for _, w := range []string{"T1", "T2", "T3", "H1", "H2", "VT", "HT"} {
			out = append(out, fmt.Sprintf("%d-%s", y, w))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func (g *globals) completeParties(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	r := g.repository(cmd)
	if r == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, id := range r.Parties() {
		out = append(out, id)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// revisions are the repository's branches and tags, newest first, from
// git; none where git is missing or the folder is no repository.
func (g *globals) revisions() []cobra.Completion {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "-C", g.repo, "for-each-ref", "--sort=-creatordate",
		"--format=%(refname:short)\t%(subject)", "refs/heads", "refs/tags").Output()
	if err != nil {
		return nil
	}
	var revs []cobra.Completion
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if name, subject, ok := strings.Cut(line, "\t"); ok && name != "" {
			revs = append(revs, described(name, subject))
		}
	}
	return append(revs, "HEAD", "HEAD~1")
}

func (g *globals) completeRevisions(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return g.revisions(), cobra.ShellCompDirectiveNoFileComp
}

// completeExplain: the commitment ids of the promises (of --promise when
// given), each once.
func (g *globals) completeExplain(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	r := g.repository(cmd)
	if r == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var only []string
	if f := cmd.Flags().Lookup("promise"); f != nil {
		if sv, ok := f.Value.(interface{ GetSlice() []string }); ok {
			only = sv.GetSlice()
		}
	}
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, p := range r.Promises {
		if len(only) > 0 && !slices.ContainsFunc(only, func(pat string) bool { ok, _ := path.Match(pat, p.ID); return ok }) {
			continue
		}
		for _, c := range p.Commitments {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, described(c.ID, c.Text))
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeDiff: the years of the promises and the revisions.
func (g *globals) completeDiff(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) >= 2 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	if r := g.repository(cmd); r != nil {
		for _, y := range years(r) {
			out = append(out, strconv.Itoa(y))
		}
	}
	return append(out, g.revisions()...), cobra.ShellCompDirectiveNoFileComp
}

// completeRecord: the activity types first; then the fields of the type
// not yet given, as FIELD= (no space after); after FIELD= the values of an
// enum or a bool field, and for the assessment type the commitment ids and
// statuses.
func (g *globals) completeRecord(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	r := g.repository(cmd)
	if r == nil || r.Vocab == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if len(args) == 0 {
		var out []cobra.Completion
		for _, a := range r.Vocab.Activities {
			out = append(out, described(a.ID, a.Title))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	act := r.Vocab.Activity(args[0])
	if act == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if name, prefix, ok := strings.Cut(toComplete, "="); ok {
		f := act.Field(name)
		if f == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, v := range fieldValues(r, act, f) {
			if strings.HasPrefix(v, prefix) {
				out = append(out, name+"="+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	given := map[string]bool{}
	for _, a := range args[1:] {
		if name, _, ok := strings.Cut(a, "="); ok {
			given[name] = true
		}
	}
	var out []cobra.Completion
	for _, f := range act.Fields {
		if !given[f.Name] {
			desc := f.Type.String()
			if f.Required {
				desc += g.say(", krävs", ", required")
			}
			out = append(out, described(f.Name+"=", desc))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// fieldValues are the values a field can take, where they are few.
func fieldValues(r *repository.Repository, act *promise.Activity, f *promise.Field) []string {
	t := f.Type
	if t.Kind == promise.List && t.Elem != nil {
		t = *t.Elem
	}
	switch {
	case t.Kind == promise.Enum:
		return t.Enum
	case t.Kind == promise.Bool:
		return []string{"true", "false"}
	case act.ID == promise.Assessment && f.Name == "status":
		return []string{"met", "on_track", "behind", "missed", "pending", "unassessed"}
	case act.ID == promise.Assessment && f.Name == "commitment":
		var ids []string
		for _, p := range r.Promises {
			for _, c := range p.Commitments {
				if !slices.Contains(ids, c.ID) {
					ids = append(ids, c.ID)
				}
			}
		}
		return ids
	}
	return nil
}

// bashShim defines, where the bash-completion package is not installed,
// the one function of it that cobra's bash script needs:
// _get_comp_words_by_ref, with -n to keep words together across the
// characters given (record's FIELD=VALUE, a colon).
const bashShim = `# Without the bash-completion package: the one function of it this script
# needs, reading the words of the line as bash split them, joined again
# across the characters given with -n.
if ! declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
_get_comp_words_by_ref() {
    local exclude="" i w j=0 join=0
    while [[ $# -gt 0 && $1 == -* ]]; do
        case $1 in
        -n) exclude=$2; shift 2 ;;
        *) shift ;;
        esac
    done
    local -a ws=()
    local wc=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        if ((i > 0)) && [[ -n $exclude && -n $w && -z ${w//[$exclude]/} ]]; then
            ws[j-1]+=$w; join=1
        elif ((join)); then
            ws[j-1]+=$w; join=0
        else
            ws[j++]=$w
        fi
        ((i == COMP_CWORD)) && wc=$((j - 1))
    done
    local v
    for v in "$@"; do
        case $v in
        cur) cur=${ws[wc]} ;;
        prev) prev=${ws[wc - 1]} ;;
        words) words=("${ws[@]}") ;;
        cword) cword=$wc ;;
        esac
    done
}
fi

`

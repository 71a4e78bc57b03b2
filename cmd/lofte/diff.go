package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diff"
	"github.com/lofte/lofte/engine/repository"
)

type diffCmd struct {
	g        *globals
	rev      string
	backtest bool
	period   string
	asOf     string
	format   string
}

func newDiff(g *globals) *cobra.Command {
	d := &diffCmd{g: g}
	cmd := &cobra.Command{
		Use:   "diff A [B] [--backtest] [--format text|json]",
		Short: "Visa vad som ändrats i löftet mellan två år eller två revisioner",
		Long: `diff säger med vanliga ord vad som lagts till, tagits bort och ändrats i löftet:
mål som höjs eller sänks, nya fönster, villkor, ansvariga, texter, aktivitetstyper
och terminer.

A och B är år (då jämförs löftena som gäller de åren) eller git-revisioner (gren,
tagg, commit; utan B jämförs A med arbetskopian). Ett argument som är fyra siffror
är ett år.

Med --backtest utvärderas B:s regler på A:s poster, sida vid sida med A:s eget
resultat: hur hade året gått med det nya löftet?`,
		Example: `  lofte diff 2022 2023
  lofte diff 2022 2023 --backtest
  lofte diff v2022 HEAD --backtest --period 2022
  lofte diff HEAD                        # det som ändrats sedan senaste commit`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(_ *cobra.Command, args []string) error { return d.run(args) },
	}
	f := cmd.Flags()
	f.BoolVar(&d.backtest, "backtest", false, "utvärdera B:s regler på A:s poster, sida vid sida med A:s resultat")
	f.StringVar(&d.period, "period", "", "året för backtest med revisioner (standard: det senaste år A:s löfte gäller)")
	f.StringVar(&d.asOf, "as-of", "", "utvärderingsdatum för backtest (standard: dagen efter året, eller i dag under året)")
	f.StringVar(&d.rev, "rev", "", "jämför åren som de är incheckade i en revision")
	f.StringVar(&d.format, "format", "text", "utdataformat: text eller json")
	mustComplete(cmd, "format", []string{"text", "json"})
	return cmd
}

func isYear(s string) (int, bool) {
	p, err := calendar.ParsePeriod(s)
	return p.First, err == nil && p.First == p.Last && !strings.Contains(s, "..")
}

func (d *diffCmd) run(args []string) error {
	if err := textOrJSON(d.format); err != nil {
		return err
	}
	ya, aYear := isYear(args[0])
	yb, bYear := 0, false
	if len(args) == 2 {
		yb, bYear = isYear(args[1])
	}
	var (
		res *diff.Diff
		bt  *diff.Backtest
		err error
	)
	switch {
	case aYear && bYear:
		res, bt, err = d.years(args[0], args[1], ya, yb)
	case aYear && len(args) == 1:
		return usageErr("ange två år att jämföra, t.ex. lofte diff %d %d", ya, ya+1)
	case aYear || bYear:
		return usageErr("jämför två år (lofte diff 2022 2023) eller två revisioner (lofte diff v2022 HEAD), inte ett år med en revision")
	default:
		b := ""
		if len(args) == 2 {
			b = args[1]
		}
		res, bt, err = d.revisions(args[0], b)
	}
	if err != nil {
		return err
	}
	if d.format == "json" {
		err = diff.JSON(d.g.stdout, *res, bt)
	} else {
		if bt != nil {
			for _, e := range bt.Diags {
				fmt.Fprintln(d.g.stderr, e.ErrorIn(d.g.lang))
			}
		}
		err = diff.TextIn(d.g.stdout, *res, bt, d.g.lang)
	}
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("kunde inte skriva skillnaderna: %w", err)}
	}
	return nil
}

// years compares the promises in force for two years of one repository.
func (d *diffCmd) years(na, nb string, ya, yb int) (*diff.Diff, *diff.Backtest, error) {
	eng, err := d.g.open(snapshotFlags{rev: d.rev}, engine.HistoryOff, false)
	if err != nil {
		return nil, nil, err
	}
	r := eng.Repository()
	a := diff.Side{Name: na, Year: ya, Repo: r, Promises: r.InForce(ya)}
	b := diff.Side{Name: nb, Year: yb, Repo: r, Promises: r.InForce(yb)}
	for _, s := range []diff.Side{a, b} {
		if len(s.Promises) == 0 {
			return nil, nil, usageErr("inget löfte gäller %d: löftena är %s", s.Year, validList(r, d.g.lang))
		}
	}
	res := diff.Compare(a, b)
	if !d.backtest {
		return &res, nil, nil
	}
	asOf, err := d.backtestDate(r.Calendar, ya)
	if err != nil {
		return nil, nil, err
	}
	return &res, diff.RunBacktest(a, b, r, ya, asOf), nil
}

// revisions compares the promises of two revisions (b "" is the working
// tree); the backtest reads b's rules with a's records.
func (d *diffCmd) revisions(na, nb string) (*diff.Diff, *diff.Backtest, error) {
	ra, rb, other, err := engine.Revisions(d.g.repo, na, nb, int64(d.g.maxFileSize))
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	if nb == "" {
		// How the text names the working tree; JSON names it in Swedish.
		nb = "arbetskopian"
		if d.g.lang == "en" && d.format != "json" {
			nb = "the working tree"
		}
	}
	a := diff.Side{Name: na, Repo: ra, Promises: ra.Promises}
	b := diff.Side{Name: nb, Repo: rb, Promises: rb.Promises}
	res := diff.Compare(a, b)
	if !d.backtest {
		return &res, nil, nil
	}
	year, err := d.backtestYear(ra)
	if err != nil {
		return nil, nil, err
	}
	asOf, err := d.backtestDate(ra.Calendar, year)
	if err != nil {
		return nil, nil, err
	}
	bt := diff.RunBacktest(a, b, other, year, asOf)
	// A's records read with B's vocabulary: what no longer fits is said.
	bt.Diags = append(other.Diags, bt.Diags...)
	return &res, bt, nil
}

// backtestYear is --period, else the last year up to this one that A's
// promises govern.
func (d *diffCmd) backtestYear(r *repository.Repository) (int, error) {
	if d.period != "" {
		y, ok := isYear(d.period)
		if !ok {
			return 0, usageErr("--period: ange ett år, t.ex. 2022")
		}
		return y, nil
	}
	year := 0
	for _, p := range r.Promises {
		year = max(year, min(p.Valid.Last, today().Year()))
	}
	if year == 0 {
		return 0, usageErr("inget löfte i A att göra backtest för")
	}
	return year, nil
}

// backtestDate is --as-of, else the day after the year (so that it is
// judged as ended), or today while the year runs.
func (d *diffCmd) backtestDate(cal *calendar.Calendar, year int) (calendar.Date, error) {
	if d.asOf != "" {
		t, _, err := engine.ParseDates(cal, d.asOf, "", nil)
		if err != nil {
			return 0, usageErr("%v", err)
		}
		return t, nil
	}
	return min(today(), cal.YearWindow(year).End.AddDays(1)), nil
}

func validList(r *repository.Repository, lang string) string {
	var v []string
	for _, p := range r.Promises {
		v = append(v, p.ID+" ("+p.Valid.String()+")")
	}
	if len(v) == 0 {
		if lang == "en" {
			return "none"
		}
		return "inga"
	}
	return strings.Join(v, ", ")
}

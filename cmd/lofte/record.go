package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/write"
)

type recordCmd struct {
	g        *globals
	date     string
	by       string
	noCommit bool
	message  string
}

func newRecord(g *globals) *cobra.Command {
	rc := &recordCmd{g: g}
	cmd := &cobra.Command{
		Use:   "record TYP fält=värde... [--date D] [--by PART] [--no-commit] [-m MEDDELANDE]",
		Short: "Registrera en genomförd aktivitet och checka in den",
		Long: `record lägger till en post sist i data/ÅR/TYP.yaml (filen skapas vid behov; det
som redan står där, kommentarer och allt, lämnas orört) och checkar in den med
git som förrådets användare (user.name och user.email).

Posten prövas först mot aktivitetstyperna i rules/activities.yaml: passar den
inte skrivs ingenting. Filen skrivs atomärt. record vägrar under en pågående
merge eller rebase, och när filen har ändringar som inte är incheckade (utom
med --no-commit). Flera record samtidigt går bra: de väntar på varandra som git
gör (.git/index.lock), och ingen post går förlorad.

Listfält skrivs med + mellan värdena: med=skola+socialtjänst.`,
		Example: `  lofte record trafikkontroll riktad_mot=allman form=uniformerad plats="väg 47"
  lofte record hundsok plats=grundskola skola=Centralskolan --date 2022-09-14
  lofte record utvardering --by polisen+kommunen -m "Utvärdering T2"
  lofte record assessment commitment=droger.samverkan status=met note="Enligt plan" --by polisen`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return rc.run(args) },
	}
	f := cmd.Flags()
	f.StringVar(&rc.date, "date", "", "aktivitetens datum, ÅÅÅÅ-MM-DD (standard: i dag)")
	f.StringVar(&rc.by, "by", "", "vem som gjorde den: en part, eller flera med + (standard: förrådets enda part)")
	f.BoolVar(&rc.noCommit, "no-commit", false, "skriv posten men checka inte in den")
	f.StringVarP(&rc.message, "message", "m", "", "commit-meddelande (standard: Ny post: TYP DATUM (PART))")
	return cmd
}

func (rc *recordCmd) run(args []string) error {
	w, err := engine.OpenRecorder(rc.g.repo, time.Now())
	if err != nil {
		return usageErr("%v", err)
	}
	e, err := rc.entry(args, w.Rules)
	if err != nil {
		return err
	}
	checked, err := w.Check([]record.Entry{e})
	var invalid *write.InvalidError
	if errors.As(err, &invalid) {
		return rc.invalid(invalid.List())
	}
	e = checked[0]
	var res write.Result
	if rc.noCommit || !w.Git {
		res, err = w.Append([]record.Entry{e})
	} else {
		res, err = w.Record([]record.Entry{e}, w.Author, rc.message)
	}
	switch {
	case errors.As(err, &invalid):
		return rc.invalid(invalid.List())
	case err != nil:
		return &exitError{code: exitUsage, err: err}
	}
	rc.report(e, res.Files[0], res.Commit)
	return nil
}

// entry reads TYPE field=value... and the flags.
func (rc *recordCmd) entry(args []string, r *repository.Repository) (record.Entry, error) {
	e := record.Entry{Type: args[0]}
	date, by := rc.date, rc.by
	for _, a := range args[1:] {
		name, value, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return e, usageErr("%q ska skrivas fält=värde, t.ex. plats=grundskola", a)
		}
		name = strings.TrimSpace(name)
		switch name {
		case promise.FieldDate:
			date = value
		case promise.FieldBy:
			by = value
		case promise.FieldType:
			return e, usageErr("typen skrivs först: lofte record %s …", value)
		default:
			e.Fields = append(e.Fields, record.EntryField{Name: name, Value: value})
		}
	}
	e.Date = today()
	if date != "" {
		d, err := calendar.ParseDate(strings.TrimSpace(date))
		if err != nil {
			return e, usageErr("--date: %v", err)
		}
		e.Date = d
	}
	parties := r.Parties()
	switch {
	case by != "":
		for _, p := range strings.FieldsFunc(by, func(c rune) bool { return c == '+' || c == ',' }) {
			e.By = append(e.By, strings.TrimSpace(p))
		}
	case len(parties) == 1:
		e.By = parties
	default:
		return e, usageErr("ange vem som gjorde aktiviteten med --by, t.ex. --by %s (parterna är %s)", first(parties, "polisen"), strings.Join(parties, ", "))
	}
	return e, nil
}

func first(ss []string, def string) string {
	if len(ss) > 0 {
		return ss[0]
	}
	return def
}

// invalid prints why the record does not fit; nothing was written.
func (rc *recordCmd) invalid(errs diag.List) error {
	for _, d := range errs {
		fmt.Fprintf(rc.g.stderr, "lofte: %s\n", d.ErrorIn(rc.g.lang))
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("ingen post skrevs")}
}

func (rc *recordCmd) report(e record.Entry, file, hash string) {
	switch {
	case hash != "":
		fmt.Fprintf(rc.g.stdout, rc.g.say("La till %s i %s och checkade in den (commit %s).\n",
			"Added %s to %s and committed it (commit %s).\n"), e, file, hash[:7])
	case rc.noCommit:
		fmt.Fprintf(rc.g.stdout, rc.g.say("La till %s i %s (inte incheckad).\n", "Added %s to %s (not committed).\n"), e, file)
	default:
		fmt.Fprintf(rc.g.stdout, rc.g.say("La till %s i %s. Inget git-förråd: posten är inte incheckad.\n",
			"Added %s to %s. No git repository: the record is not committed.\n"), e, file)
	}
	if e.Date > today() {
		fmt.Fprintf(rc.g.stderr, rc.g.say("lofte: varning: posten är daterad %s, efter i dag: den räknas inte förrän den dagen\n",
			"lofte: warning: the record is dated %s, after today: it does not count until that day\n"), e.Date)
	}
}

// Command lofte-gen writes a realistic commitments repository of made-up
// data, for benchmarks and for trying lofte at scale:
//
//	go run ./cmd/lofte-gen --records 1000000 --promises 1 /tmp/lofte-1m
//	lofte --repo /tmp/lofte-1m evaluate --period 2022
//
// The repository has the vocabulary of the bundled example, school terms
// for every year, one promise of 30 commitments per municipality (each
// counting its own folder data/KOMMUN/), the records in CSV files per
// month and type, and one commit per year made with the git command line.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/internal/testrepo"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lofte-gen:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lofte-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	records := fs.Int("records", 100_000, "antal registreringar, fördelade på åren och löftena")
	promises := fs.Int("promises", 1, "antal löften, ett per kommun, vart och ett med sin mapp data/KOMMUN/")
	years := fs.String("years", "2019..2023", "åren med registreringar, som löftena gäller: 2022 eller 2019..2023")
	seed := fs.Int64("seed", 1, "slumpfrö: samma frö ger samma filer och samma commits")
	noGit := fs.Bool("no-git", false, "skriv bara filerna, utan git-förråd")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Användning: lofte-gen [--records N] [--promises M] [--years 2019..2023] [--seed S] [--no-git] MAPP")
		fmt.Fprintln(stderr, "\nSkriver ett påhittat förråd för lofte i MAPP (som ska vara tom eller saknas) och checkar in det.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("ange en mapp")
	}
	dir := fs.Arg(0)
	per, err := calendar.ParsePeriod(*years)
	if err != nil {
		return fmt.Errorf("--years: %v", err)
	}
	switch {
	case *records < 0:
		return errors.New("--records ska vara 0 eller mer")
	case *promises < 1:
		return errors.New("--promises ska vara minst 1")
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return fmt.Errorf("%s är inte tom", dir)
	}
	git := !*noGit
	if git && !testrepo.HaveGit() {
		return errors.New("git finns inte installerat (eller använd --no-git)")
	}
	start := time.Now()
	opt := testrepo.Options{Records: *records, Promises: *promises, Years: per.Years(), Seed: *seed, Git: git}
	if err := testrepo.Write(dir, opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d registreringar, %d löften, %s, i %s (%.1f s)\n", *records, *promises, per, dir, time.Since(start).Seconds())
	return nil
}

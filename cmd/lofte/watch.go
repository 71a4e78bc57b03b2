package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/watch"
)

type watchCmd struct {
	g           *globals
	promises    []string
	period      string
	asOf        string
	format      string
	exec        string
	execTimeout time.Duration
}

func newWatch(g *globals) *cobra.Command {
	c := &watchCmd{g: g}
	cmd := &cobra.Command{
		Use:   "watch [--period P] [--as-of D] [--promise ID] [--format text|json] [--exec CMD]",
		Short: "Följ löftena löpande och säg till när ett åtagande byter status",
		Long: `watch skriver först hela utvärderingen, som evaluate, och bevakar sedan rules/,
data/ och git-förrådets HEAD och grenar. Efter varje ändring, varje commit,
byte av gren och vid midnatt (när datumet ändras) utvärderas löftena igen, och
för varje åtagande som byter status skrivs en rad: tid, löfte, åtagande,
från → till och varför. Fel i filerna skrivs som fel och stoppar inte
bevakningen; när felet är rättat skrivs "återställd". Ett löfte vars fil får
fel utvärderas som filen senast var utan fel.

--format json skriver en JSON-rad per händelse: start, transition, error och
recovered. --exec CMD kör CMD med skalet en gång per statusbyte, med
LOFTE_PROMISE, LOFTE_PERIOD, LOFTE_ID, LOFTE_FROM, LOFTE_TO, LOFTE_VALUE,
LOFTE_TARGET, LOFTE_EXPECTED och LOFTE_TEXT i miljön.

watch avslutas med Ctrl-C (SIGINT) eller SIGTERM, efter att en pågående
utvärdering har gjorts klart. Slutstatus är den senaste utvärderingens, som
för evaluate: 0 när inget är efter eller ej uppfyllt, 1 när något är det, 2 vid
fel i filerna, och 2 om förrådet inte går att läsa när watch startar eller om
en flagga är fel.`,
		Example: `  lofte watch
  lofte watch --period 2022 --as-of 2022-08-31
  lofte watch --format json | jq .
  lofte watch --exec ./bin/meddela.sh`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return c.run() },
	}
	f := cmd.Flags()
	f.StringVar(&c.period, "period", "", "år eller intervall av år: 2022 eller 2021..2022 (standard: utvärderingsdatumets år, som följer datumet)")
	f.StringVar(&c.asOf, "as-of", "", "fast utvärderingsdatum: ÅÅÅÅ-MM-DD eller ett fönster som 2022-T2 (standard: i dag, omräknat vid midnatt)")
	f.StringVar(&c.format, "format", "text", "utdataformat: text eller json (en rad per händelse)")
	f.StringVar(&c.exec, "exec", "", "kommando att köra med skalet vid varje statusbyte, med statusbytet i miljövariabler")
	f.DurationVar(&c.execTimeout, "exec-timeout", watch.DefaultExecTimeout, "längsta tid för en körning av --exec; sedan avbryts den")
	addPromiseFlag(cmd, &c.promises)
	mustComplete(cmd, "format", []string{"text", "json"})
	return cmd
}

func (c *watchCmd) run() error {
	var sink watch.Sink
	switch c.format {
	case "text":
		sink = &watch.TextSink{Out: c.g.stdout, Err: c.g.stderr, Lang: c.g.lang, Color: isTerminal(c.g.stdout)}
	case "json":
		sink = &watch.JSONSink{Out: c.g.stdout, Err: c.g.stderr, Lang: c.g.lang}
	default:
		return usageErr("okänt format %q: välj text eller json", c.format)
	}
	if c.execTimeout <= 0 {
		return usageErr("--exec-timeout måste vara större än noll, t.ex. 30s")
	}
	w, err := watch.New(watch.Options{
		Dir: c.g.repo, Open: c.g.live(c.promises), Period: c.period, AsOf: c.asOf, Lang: c.g.lang, Sink: sink,
		Exec: c.exec, ExecTimeout: c.execTimeout, Clock: systemClock{},
	})
	if err != nil {
		return usageErr("%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := w.Run(ctx); err != nil {
		var ue *watch.UsageError
		if errors.As(err, &ue) {
			return usageErr("%v", ue.Err)
		}
		return usageErr("%v", err)
	}
	// At exit, the status of the last evaluation, as evaluate's (docs/reference.md §9).
	switch rep := w.Current(); {
	case rep == nil:
	case rep.Diags.Errors() > 0:
		return &exitError{code: exitUsage}
	case rep.Bad():
		return &exitError{code: exitBad}
	}
	return nil
}

// live opens the repository for watch: see openLive.
func (g *globals) live(promises []string) func(string) (watch.Live, error) {
	return func(dir string) (watch.Live, error) { return g.openLive(dir, promises) }
}

// openLive opens the repository for watch and serve: the working tree,
// read again on every change through one engine, which reads again only
// the record files whose size, time or inode changed.
func (g *globals) openLive(dir string, promises []string) (*engine.Engine, error) {
	return engine.Open(dir, engine.Options{Promises: promises, MaxFileSize: int64(g.maxFileSize), Today: today, Now: time.Now})
}

// systemClock is the computer's clock: the watcher reads the date from it
// when no --as-of is given (the engine itself never reads the clock).
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

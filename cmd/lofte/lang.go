package main

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The command layer in English (--lang en): help texts, flag usages and
// cobra's own messages. The Swedish texts stay where the commands are
// defined; the English ones are here, by command path and flag name, and
// replace them when the help is shown with --lang en. In Swedish, cobra's
// English messages and texts are put into Swedish. Messages of the engine
// (problems in the files, errors) are made in Swedish and put into English
// when printed (diag.Diagnostic.In, diag.Translate: the catalog in
// engine/diag).

type helpText struct{ short, long string }

// say is the command line's own text in the language of --lang: sv, or
// en with --lang en.
func (g *globals) say(sv, en string) string {
	if g.lang == "en" {
		return en
	}
	return sv
}

// englishHelp is each command's help in English, by command path.
var englishHelp = map[string]helpText{
	"lofte": {"Follow up citizen promises as rules and records in a git repository",
		`lofte follows up citizen promises (medborgarlöften): every commitment is a
rule in rules/, every activity carried out a record in data/, and lofte says
which commitments are met, on track, behind or missed.`},
	"lofte evaluate": {"Evaluate the promises in force for a period",
		`evaluate says for every commitment of the promises in force for the period
whether it is met, on track, behind, missed, pending or unassessed. Without
--promise every promise in force is evaluated; --promise ID (repeatable,
patterns such as mullsjo* work) picks some of them.

Exit status: 0 when nothing is behind or missed, 1 when something is,
2 on bad usage or errors in the files (the report is still written for what
could be read).`},
	"lofte report": {"Write the follow-up as a web page for the public (uppfoljning.html)",
		`report is evaluate with the web page as the default format: a self-contained
HTML file (in Swedish) with the promise, a summary and every commitment with
its status, figures and charts, readable on a phone, printable on A4 and
publishable as it is. Without -o it is written to uppfoljning.html (-o -
writes to standard output).

Exit status as for evaluate: 0 when nothing is behind or missed, 1 when
something is, 2 on bad usage or errors in the files.`},
	"lofte serve": {"Serve the follow-up as a web page, and let the parties record and assess, signed in",
		`serve starts a web server that reads the repository again (at most once every
2s) and answers

  /             the web page, which reloads itself when the status changes
  /api/status   JSON as from evaluate --format json
  /metrics      metrics for Prometheus
  /healthz      ok while the promises can be evaluated, else 503 and why

With --auth the parties sign in and record activities, assess commitments,
upload a CSV file from Excel and follow up their commitments:

  /registrera   a form for every activity type, and assessments
  /mina         my commitments: status, what remains, my latest records
  /ladda-upp    a CSV file from Excel, previewed row by row
  /api/records  POST of a record as JSON, for other systems

Every record becomes a commit with the signed-in person as its author. With
--push every commit is pushed to the branch's upstream, and the server fetches
what others pushed there (every --fetch-every). To an https upstream the server
signs in with a token in LOFTE_GIT_TOKEN (and LOFTE_GIT_USER), over SSH with the
key in the file LOFTE_GIT_SSH_KEY or with the SSH agent.

--auth proxy takes the signed-in person's e-mail address from the header
--auth-header, but only from addresses in --trusted-proxy (a proxy such as
oauth2-proxy in front of the server). --auth oidc signs in with OpenID Connect
(Microsoft Entra ID): --oidc-issuer once per organisation, --oidc-client-id,
--base-url (the server's address as its users see it), the secret in the
environment variable LOFTE_OIDC_CLIENT_SECRET and, for sign-ins to survive a
restart, a key of at least 32 bytes (hex or base64) in LOFTE_SESSION_KEY.

The server listens on this computer only (127.0.0.1) unless --addr says
otherwise, answers only to the names localhost and 127.0.0.1 unless
--allow-host says otherwise, and stops on Ctrl-C (or SIGTERM).`},
	"lofte draft": {"Draft a promise from the signed document (.docx, .pdf, .txt, .md)",
		`draft reads the citizen promise as signed (Word, PDF, text or Markdown) and
writes a draft promise file in rules/ and the activity types its rules need in
rules/activities.yaml, for someone to review.

The draft has the title, the parties, the years, the areas (the headings) and
every commitment with its text verbatim and its owner. Rules are suggested from
the Swedish wording: counts in digits or words ("nio", "4 ggr"), how often
("per år", "varje tertial", "per termin", "i månaden"), bounds ("minst",
"högst"), "både civilt och uniformerat" (per form) and "av båda parter". Where
no count can be read ("vid behov") the commitment becomes assess: manual. Every
suggestion has a comment on what it was read from and how sure the reading is.

Activity types already in rules/activities.yaml are used as they are; new ones
are added at the end without changing anything else in the file. The draft
always passes lofte check. Nothing is overwritten.

--from-promise ID --year YEAR copies a promise to a new year with the
commitments' ids kept, so that lofte diff and --backtest compare the two.`},
	"lofte watch": {"Watch the repository and tell every change of status as it happens",
		`watch first writes the whole evaluation, as evaluate does, then watches rules/,
data/ and the git repository's HEAD and branches. After every change, every
commit, change of branch and at midnight the promises are evaluated again,
and for every commitment whose status changes a line is written: time,
promise, commitment, from → to and why. Errors in the files are written as
errors and do not stop the watch; "recovered" is written when they are fixed.

--format json writes a JSON line per event: start, transition, error and
recovered. --exec CMD runs CMD with the shell once per change of status, with
LOFTE_PROMISE, LOFTE_PERIOD, LOFTE_ID, LOFTE_FROM, LOFTE_TO, LOFTE_VALUE,
LOFTE_TARGET, LOFTE_EXPECTED and LOFTE_TEXT in its environment.

watch stops on Ctrl-C (SIGINT) or SIGTERM. Its exit status is that of the
last evaluation, as for evaluate, and 2 when the repository cannot be read
at the start or a flag is wrong.`},
	"lofte version": {"Show the version and git revision of the program", ""},
	"lofte check": {"Check rules, activity types, calendar and records, and show every problem at once",
		`check compiles every rule and reads the activity types, the calendar, every
promise, every record and every rule test, and shows every problem at once,
sorted by file and line: the place, the line with a mark under it, and a hint.

With --trust: every record in the whole history that a commit added without
being made (and, with signers, signed) by a party the record names, in a
promise with trust: strict, also records removed since.

Exit status: 2 when there is an error, else 0 (warnings are shown anyway).`},
	"lofte explain": {"Explain a commitment's status: windows, figures and the records counted",
		`explain shows for every window of a commitment its status and why, the value,
the target and the expected figure, what remains and at what pace, every
record counted (file, line, date, party and the commit that added it) and the
records of the same type that were not counted, with the reason.`},
	"lofte diff": {"Show what changed in the promise between two years or two revisions",
		`diff says in plain words what was added, removed and changed in the promise:
targets raised or lowered, new windows, conditions, owners, texts, activity
types and terms.

A and B are years (the promises in force those years are compared) or git
revisions (branch, tag, commit; without B, A is compared with the working
tree). An argument of four digits is a year.

With --backtest B's rules are evaluated on A's records, side by side with A's
own result: how would the year have gone with the new promise?`},
	"lofte test": {"Run the rule tests in rules/**/*_test.yaml",
		`test runs the rule tests: files rules/**/*_test.yaml where every test names a
promise (or commitments of its own), a period, an evaluation date, records and
the status (and preferably the value) each commitment should get. For a test
that fails, what was expected, what came and the records counted are shown.

Exit status: 0 when every test passes, 1 when one does not, 2 when a test
file has errors.`},
	"lofte init": {"Make a new repository for citizen promises with a small example",
		`init makes a git repository (or uses the one in the folder) with
rules/activities.yaml, rules/calendar.yaml, a small example promise with rule
tests, data/, a README for those who will keep the repository and CI files
for GitHub Actions and GitLab CI, and makes a first commit. init never
overwrites anything.

The CI files install the same version of lofte as runs init, check with
lofte check and lofte test (a red run on errors), follow up with lofte
evaluate without turning red because something is behind, show the JUnit
report as a test report and keep the web page (and publish it with Pages).

A first line in each file in rules/ names the JSON Schema the file follows,
so that VS Code (with the YAML extension) checks it as it is typed. The
schemas are in .lofte/schema/ in the repository. With --schemas, init only
writes them again, in a repository that exists, with this version of lofte
(after an upgrade, when lofte check says they are of another version).`},
	"lofte record": {"Record an activity carried out and commit it",
		`record adds a record at the end of data/YEAR/TYPE.yaml (the file is made when
needed; what is already there, comments and all, is left as it is) and
commits it with git as the repository's user (user.name and user.email).

The record is first checked against the activity types of
rules/activities.yaml: if it does not fit, nothing is written. The file is
written atomically. record refuses during a merge or rebase in progress, and
when the file has uncommitted changes (except with --no-commit). Several
record at once are fine: they wait for each other as git does.

List fields are written with + between the values: med=skola+socialtjänst.`},
	"lofte help":                  {"Help about any command", "Help provides help for any command in the application.\nSimply type lofte help [path to command] for full details."},
	"lofte completion":            {"Generate the autocompletion script for bash, zsh, fish or PowerShell", ""},
	"lofte completion bash":       {"Generate the autocompletion script for bash", ""},
	"lofte completion zsh":        {"Generate the autocompletion script for zsh", ""},
	"lofte completion fish":       {"Generate the autocompletion script for fish", ""},
	"lofte completion powershell": {"Generate the autocompletion script for powershell", ""},
	"lofte man":                   {"Write the manual pages of lofte's commands into a folder", "man writes a manual page (section 1) for lofte and each of its commands into\nFOLDER, in the language of --lang."},
}

// swedishCobra are cobra's own commands' help in Swedish.
var swedishCobra = map[string]helpText{
	"lofte help":                  {"Visa hjälp för ett kommando", "help visar hjälpen för ett kommando: skriv lofte help KOMMANDO."},
	"lofte completion":            {"Skriv ett skript för kommandokomplettering i bash, zsh, fish eller PowerShell", "completion skriver ett skript som låter skalet komplettera loftes kommandon, flaggor\noch namnen i förrådet (löften, åtaganden, perioder, aktivitetstyper, fält och\nvärden, revisioner). Se hjälpen för varje skal."},
	"lofte completion bash":       {"Skript för kommandokomplettering i bash", "Läs in kompletteringen i det skal du har:\n\n  source <(lofte completion bash)\n\nFör varje nytt skal (Linux):\n\n  lofte completion bash > /etc/bash_completion.d/lofte\n\nPaketet bash-completion behövs inte."},
	"lofte completion zsh":        {"Skript för kommandokomplettering i zsh", "Läs in kompletteringen i det skal du har:\n\n  source <(lofte completion zsh)\n\nFör varje nytt skal:\n\n  lofte completion zsh > \"${fpath[1]}/_lofte\""},
	"lofte completion fish":       {"Skript för kommandokomplettering i fish", "Läs in kompletteringen i det skal du har:\n\n  lofte completion fish | source\n\nFör varje nytt skal:\n\n  lofte completion fish > ~/.config/fish/completions/lofte.fish"},
	"lofte completion powershell": {"Skript för kommandokomplettering i PowerShell", "Läs in kompletteringen i det skal du har:\n\n  lofte completion powershell | Out-String | Invoke-Expression\n\nLägg raden i din PowerShell-profil för varje nytt skal."},
}

// englishFlags are flag usages in English: by "command flag" where one
// command's flag means something of its own, else by flag name.
var englishFlags = map[string]string{
	"repo":             "the repository's folder (the git repository is looked for upwards)",
	"lang":             "language of the text output and the help: sv or en",
	"max-file-size":    "largest file read, e.g. 50MiB (the default) or 200MiB",
	"help":             "show help",
	"version":          "show the program's version (as lofte version)",
	"period":           "year or span of years: 2022 or 2021..2022 (default: the year of the evaluation date)",
	"as-of":            "evaluation date: YYYY-MM-DD or a window such as 2022-T2 (default: today)",
	"rev":              "read rules and records as committed in a revision (branch, tag, commit, HEAD~3)",
	"known-at":         "read rules and records as they were committed on a date",
	"format":           "output format: text, json, markdown, html (the web page) or junit",
	"output":           "write to FILE instead of standard output (- is standard output)",
	"promise":          "only the promise with this id (repeatable; patterns such as mullsjo* work)",
	"provenance":       "with --format json: each record's commit (the one that added it) and the recording times",
	"check format":     "output format: text or json",
	"check rev":        "check the rules and records as committed in a revision",
	"trust":            "check the whole history: every record a commit added against a promise's trust: strict",
	"explain format":   "output format: text or json",
	"test format":      "output format: text or json",
	"diff format":      "output format: text or json",
	"diff rev":         "compare the years as committed in a revision",
	"diff period":      "the year of a backtest between revisions (default: the last year A's promise governs)",
	"diff as-of":       "evaluation date of a backtest (default: the day after the year, or today during it)",
	"backtest":         "evaluate B's rules on A's records, side by side with A's result",
	"run":              "run only the tests whose name matches the regular expression",
	"ci":               "CI services to write files for: github, gitlab (both are the default) or none",
	"schemas":          "only write the JSON Schemas in .lofte/schema/ again, in a repository that exists",
	"date":             "the activity's date, YYYY-MM-DD (default: today)",
	"by":               "who carried it out: a party, or several joined with + (default: the repository's only party)",
	"no-commit":        "write the record but do not commit it",
	"message":          "commit message (default: Ny post: TYPE DATE (PARTY))",
	"addr":             "address and port to listen on",
	"allow-host":       "a host name the page may be reached by besides localhost, e.g. uppfoljning.mullsjo.se (repeatable)",
	"serve as-of":      "a fixed evaluation date (default: today's date at each request)",
	"serve period":     "year or span of years (default: the year of today's date)",
	"watch as-of":      "fixed evaluation date: YYYY-MM-DD or a window such as 2022-T2 (default: today, moved on at midnight)",
	"watch period":     "year or span of years: 2022 or 2021..2022 (default: the year of the evaluation date, which follows the date)",
	"watch format":     "output format: text or json (a line per event)",
	"exec":             "command run with the shell at each change of status, with the change in environment variables",
	"exec-timeout":     "longest time a run of --exec may take; it is then stopped",
	"no-descriptions":  "disable completion descriptions",
	"summary":          "with --format text: only the agenda of the next follow-up, per party: what is behind and what it takes, and what is due within 30 days",
	"auth":             "sign-in: none (read only), proxy (a header from a trusted proxy) or oidc (OpenID Connect)",
	"auth-header":      "with --auth proxy: the header with the signed-in person's e-mail address",
	"auth-name-header": "with --auth proxy: the header with the signed-in person's name",
	"trusted-proxy":    "with --auth proxy: an address or network (CIDR) the proxy comes from (repeatable)",
	"auth-logout-url":  "with --auth proxy: where signing out leads, e.g. /oauth2/sign_out",
	"oidc-issuer":      "with --auth oidc: the issuer's address, or Name=address (once per organisation)",
	"oidc-client-id":   "with --auth oidc: the app's client id",
	"base-url":         "with --auth oidc: the server's address as its users see it, e.g. https://uppfoljning.mullsjo.se",
	"session-ttl":      "with --auth oidc: how long a sign-in lasts",
	"push":             "push every commit to the branch's upstream and fetch what others pushed there",
	"fetch-every":      "with --push: how often the upstream is fetched",
	"id":               "the promise's id (default: the municipality's name, e.g. mullsjo)",
	"year":             "the year the promise governs when the document does not say; with --from-promise the new year",
	"from-promise":     "copy the promise with this id to the year of --year",
	"dry-run":          "print the draft instead of writing it in rules/",
}

// englishComments are the comments of the examples in English.
var englishComments = strings.NewReplacer(
	"# bara GitLab CI", "# GitLab CI only",
	"# bara ett av förrådets löften", "# only one of the repository's promises",
	"# det som var känt den dagen", "# what was known that day",
	"# dagordningen för nästa uppföljningsmöte", "# the agenda of the next follow-up meeting",
	"# det som ändrats sedan senaste commit", "# what changed since the last commit",
	"# ingen CI-fil", "# no CI file",
	"# skriv om schemana efter en uppgradering", "# write the schemas again after an upgrade",
	"# med commiten som lade till varje post", "# with the commit that added each record",
	"# nås från andra datorer: tänk på vem som kan se sidan", "# reached from other computers: think of who can see the page",
	"# sista dagen i andra tertialen", "# the last day of the second tertial",
	"# som det var incheckat tre commits sedan", "# as committed three commits ago",
	"# webbsidan för allmänheten", "# the web page for the public",
	"<kommunens-tenant>", "<municipality-tenant>",
	"<polisens-tenant>", "<police-tenant>",
)

// englishUse are the use lines that name things in Swedish.
var englishUse = map[string]string{
	"lofte":        "lofte [--repo DIR] [--lang sv|en] COMMAND",
	"lofte record": "record TYPE field=value... [--date D] [--by PARTY] [--no-commit] [-m MESSAGE]",
	"lofte init":   "init [FOLDER] [--ci github,gitlab|none] [--schemas]",
	"lofte man":    "man FOLDER",
	"lofte draft":  "draft FILE [--id ID] [--year YEAR] [--dry-run] | draft --from-promise ID --year YEAR",
	"lofte help":   "help [command]",
}

// localize puts the help of root's commands into lang (sv or en).
func localize(root *cobra.Command, lang string) {
	walk(root, func(c *cobra.Command) {
		path := c.CommandPath()
		switch {
		case lang == "en":
			c.Example = englishComments.Replace(c.Example)
			if u, ok := englishUse[path]; ok {
				c.Use = u
			}
			if h, ok := englishHelp[path]; ok {
				c.Short = h.short
				if h.long != "" || c.Long != "" {
					c.Long = h.long
				}
			}
			name := strings.TrimPrefix(strings.TrimPrefix(path, "lofte"), " ")
			name, _, _ = strings.Cut(name, " ")
			set := func(f *pflag.Flag) {
				if u, ok := englishFlags[name+" "+f.Name]; ok {
					f.Usage = u
				} else if u, ok := englishFlags[f.Name]; ok {
					f.Usage = u
				}
			}
			c.LocalFlags().VisitAll(set)
			c.Flags().VisitAll(set)
			c.PersistentFlags().VisitAll(set)
			c.SetUsageTemplate(usageTemplateEn)
		default:
			if h, ok := swedishCobra[path]; ok {
				c.Short, c.Long = h.short, h.long
			}
			if path == "lofte help" {
				c.Use = "help [kommando]"
			}
			if f := c.Flags().Lookup("no-descriptions"); f != nil {
				f.Usage = "utan beskrivningar i kompletteringen"
			}
		}
	})
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// cobraSv are cobra's and pflag's English messages, and their Swedish.
var cobraSv = []struct {
	re *regexp.Regexp
	sv string
}{
	{regexp.MustCompile(`^unknown flag: (.+)$`), "okänd flagga: $1"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (.+)$`), "okänd kort flagga: '$1' i $2"},
	{regexp.MustCompile(`^flag needs an argument: (.+)$`), "flaggan behöver ett värde: $1"},
	{regexp.MustCompile(`(?s)^invalid argument "(.*)" for "(.+)" flag: (.*)$`), `ogiltigt värde "$1" för $2: $3`},
	{regexp.MustCompile(`^bad flag syntax: (.+)$`), "felaktig flagga: $1"},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "tar $1 argument, fick $2"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "tar högst $1 argument, fick $2"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "kräver minst $1 argument, fick $2"},
	{regexp.MustCompile(`^accepts between (\d+) and (\d+) arg\(s\), received (\d+)$`), "tar $1 till $2 argument, fick $3"},
	{regexp.MustCompile(`(?s)^unknown command "(.*)" for "(.*)"\n\nDid you mean this\?\n(.*)$`), "okänt kommando \"$1\" för \"$2\"\n\nMenade du:\n$3"},
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"$`), `okänt kommando "$1" för "$2"`},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)"$`), `ogiltigt argument "$1" för "$2"`},
}

// cobraMessage is a message of cobra or pflag in lang: in Swedish for sv,
// as it is for en.
func cobraMessage(msg, lang string) string {
	if lang == "en" {
		return msg
	}
	for _, m := range cobraSv {
		if m.re.MatchString(msg) {
			return m.re.ReplaceAllString(msg, m.sv)
		}
	}
	return msg
}

// usageTemplateEn is cobra's usage text in English, shaped as the Swedish.
const usageTemplateEn = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Flags for every command:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more about a command.{{end}}
`

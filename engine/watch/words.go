package watch

// words are the watcher's own texts, in Swedish and English. Messages
// about the files themselves come from the engine, in Swedish.
var words = map[string]map[string]string{
	"sv": {
		// Reasons of transitions.
		"removed":     "åtagandet finns inte längre",
		"nowindow":    "inget fönster att bedöma",
		"error":       "fel",
		"notstarted":  "%s har inte börjat",
		"overmax":     "%s registrerade, högst %s får det vara",
		"endedmax":    "%s slutade med %s, högst %s",
		"undermax":    "%s registrerade, högst %s",
		"endedmet":    "%s slutade med %s av %s",
		"met":         "%s av %s registrerade: målet är nått",
		"endedmissed": "%s slutade med %s av %s",
		"pendingend":  "%s registrerade, mål %s: avgörs när %s slutar",
		"behind":      "förväntat %s av %s vid %s, %s registrerade",
		"nearend":     "%s av %s registrerade och %d dagar kvar till %s",
		"of":          "%s av %s registrerade",
		"ontrack":     "%s av %s registrerade, förväntat %s vid %s",
		"exprmet":     "regeln gäller för %s",
		"exprmissed":  "regeln gällde inte när %s slutade",
		"exprpending": "avgörs när %s slutar",
		"unassessed":  "ingen bedömning ännu",
		"assessed":    "bedömt %s",
		"new":         "ny",
		"gone":        "borttagen",

		// Events.
		"fail":            "fel",
		"recovered":       "återställd",
		"recoveredFile":   "inga fel kvar i %s",
		"recoveredSource": "förrådet läses igen",
		"recoveredWatch":  "bevakningen fungerar igen",
		"recoveredOther":  "felen är borta",
		"watching":        "Bevakar %s: rules/, data/ och git. Avsluta med Ctrl-C.",
		"gone.dir":        "mappen %s/ finns inte längre: lofte utvärderar inte om förrän den är tillbaka, och det senaste resultatet gäller",
		"source":          "kan inte läsa förrådet: %v (försöker igen var %s; det senaste resultatet gäller)",
		"watchLimit":      "%d mappar kan inte bevakas: gränsen för inotify-bevakningar är nådd (fs.inotify.max_user_watches); höj den, t.ex. med `sudo sysctl fs.inotify.max_user_watches=524288`. Tills dess läser lofte om förrådet var %s",
		"watchFail":       "kan inte bevaka %s: %v (lofte läser om förrådet var %s)",
		"noWatcher":       "filbevakningen går inte att starta: %v (lofte läser om förrådet var %s)",
		"overflow":        "för många ändringar på en gång (händelsekön flödade över): läser om hela förrådet",
		"watchError":      "filbevakningen: %v",
		"execFail":        "--exec för %s %d %s (%s → %s) misslyckades: %s",
		"execTimeout":     "avbröts efter %s",
		"execStatus":      "slutstatus %d",
		"execQueue":       "--exec: för många körningar väntar; kommandot körs inte för %s %d %s (%s → %s)",
		"execOutput":      "utskrift: %s",
	},
	"en": {
		"removed":     "the commitment is gone",
		"nowindow":    "no window to judge",
		"error":       "error",
		"notstarted":  "%s has not started",
		"overmax":     "%s recorded, at most %s allowed",
		"endedmax":    "%s ended with %s, at most %s",
		"undermax":    "%s recorded, at most %s",
		"endedmet":    "%s ended with %s of %s",
		"met":         "%s of %s recorded: the target is reached",
		"endedmissed": "%s ended with %s of %s",
		"pendingend":  "%s recorded, target %s: judged when %s ends",
		"behind":      "expected %s of %s by %s, %s recorded",
		"nearend":     "%s of %s recorded and %d days left to %s",
		"of":          "%s of %s recorded",
		"ontrack":     "%s of %s recorded, expected %s by %s",
		"exprmet":     "the rule holds for %s",
		"exprmissed":  "the rule did not hold when %s ended",
		"exprpending": "judged when %s ends",
		"unassessed":  "no assessment yet",
		"assessed":    "assessed %s",
		"new":         "new",
		"gone":        "removed",

		"fail":            "error",
		"recovered":       "recovered",
		"recoveredFile":   "no errors left in %s",
		"recoveredSource": "the repository reads again",
		"recoveredWatch":  "watching works again",
		"recoveredOther":  "the errors are gone",
		"watching":        "Watching %s: rules/, data/ and git. Stop with Ctrl-C.",
		"gone.dir":        "the folder %s/ is gone: lofte does not re-evaluate until it is back, and the last result stands",
		"source":          "cannot read the repository: %v (trying again every %s; the last result stands)",
		"watchLimit":      "%d folders cannot be watched: the inotify watch limit is reached (fs.inotify.max_user_watches); raise it, e.g. with `sudo sysctl fs.inotify.max_user_watches=524288`. Until then lofte re-reads the repository every %s",
		"watchFail":       "cannot watch %s: %v (lofte re-reads the repository every %s)",
		"noWatcher":       "file watching cannot start: %v (lofte re-reads the repository every %s)",
		"overflow":        "too many changes at once (the event queue overflowed): re-reading the whole repository",
		"watchError":      "file watching: %v",
		"execFail":        "--exec for %s %d %s (%s → %s) failed: %s",
		"execTimeout":     "killed after %s",
		"execStatus":      "exit status %d",
		"execQueue":       "--exec: too many runs waiting; the command is not run for %s %d %s (%s → %s)",
		"execOutput":      "output: %s",
	},
}

// word returns the text of id in lang (Swedish unless "en").
func word(lang, id string) string {
	if s, ok := words[langOf(lang)][id]; ok {
		return s
	}
	return words["sv"][id]
}

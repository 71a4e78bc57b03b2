package main

import (
	"fmt"
	"runtime/debug"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/internal/version"
)

func newVersion(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Visa version och git-revision för programmet",
		Example: "  lofte version\n  lofte --version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(g.stdout, versionString(g.lang))
			return err
		},
	}
}

// releaseVersion is the release this program is, without a leading v; ""
// for a build from source.
func releaseVersion() string { return version.Release() }

// versionString is the version and the VCS revision it was built from,
// in lang: a build with uncommitted changes says "(ändrad)", "(modified)"
// in English.
func versionString(lang string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "lofte " + version.Short()
	}
	return versionOf(info, lang)
}

// versionOf is versionString of the build info.
func versionOf(info *debug.BuildInfo, lang string) string {
	var rev, when, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = " (ändrad)"
				if lang == "en" {
					dirty = " (modified)"
				}
			}
		}
	}
	out := "lofte " + version.Short()
	if rev != "" {
		out += fmt.Sprintf(" %s%s", rev[:min(12, len(rev))], dirty)
		if when != "" {
			out += " " + when
		}
	}
	return out + " " + info.GoVersion
}

// versionTemplate is the template of --version: the command's version,
// or en with --lang en, as lofte version writes it.
func versionTemplate(en string) string {
	return `{{if eq (.Flag "lang").Value.String "en"}}{{` + strconv.Quote(en) + `}}{{else}}{{.Version}}{{end}}` + "\n"
}

// versionShort is the release, or "(devel)".
func versionShort() string { return version.Short() }

package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersion(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Visa version och git-revision för programmet",
		Example: "  lofte version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(g.stdout, versionString())
			return err
		},
	}
}

// versionString is the module version and the VCS revision it was built from.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "lofte (okänd version)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
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
			}
		}
	}
	out := "lofte " + v
	if rev != "" {
		out += fmt.Sprintf(" %s%s", rev[:min(12, len(rev))], dirty)
		if when != "" {
			out += " " + when
		}
	}
	return out + " " + info.GoVersion
}

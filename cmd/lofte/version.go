package main

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"

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

// version is the release this program is, stamped at build time:
//
//	go build -ldflags "-X main.version=0.3.1" ./cmd/lofte
//
// (GoReleaser does so from the tag). Empty in a build from source.
var version string

// releaseVersion is the release this program is, without a leading v:
// the stamped version, else the module version of `go install
// github.com/lofte/lofte/cmd/lofte@v0.3.1`; "" for a build from source.
func releaseVersion() string {
	if version != "" {
		return strings.TrimPrefix(version, "v")
	}
	if info, ok := debug.ReadBuildInfo(); ok && releaseRe.MatchString(info.Main.Version) {
		return strings.TrimPrefix(info.Main.Version, "v")
	}
	return ""
}

// releaseRe is a release's module version: no pre-release, no
// pseudo-version.
var releaseRe = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

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

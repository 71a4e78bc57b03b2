// Package version is the version of this build of lofte: stamped at build
// time by
//
//	go build -ldflags "-X github.com/lofte/lofte/internal/version.Version=0.3.1" ./cmd/lofte
//
// (the release configuration, .goreleaser.yaml, does so from the tag), or
// the module version of `go install github.com/lofte/lofte/cmd/lofte@v0.3.1`.
package version

import (
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// Version is the stamped release, with or without a leading v; empty in a
// build from source.
var Version string

// releaseRe is a release's module version: no pre-release, no
// pseudo-version.
var releaseRe = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// Release is the release this program is, without a leading v ("0.3.1"):
// the stamped version, else the module version of a `go install …@v0.3.1`;
// "" for a build from source.
func Release() string {
	if Version != "" {
		return strings.TrimPrefix(Version, "v")
	}
	if info, ok := debug.ReadBuildInfo(); ok && releaseRe.MatchString(info.Main.Version) {
		return strings.TrimPrefix(info.Main.Version, "v")
	}
	return ""
}

// Short is Release, or "(devel)" for a build from source.
func Short() string {
	if r := Release(); r != "" {
		return r
	}
	return "(devel)"
}

// Build names this very build, for caches whose entries another build
// may read otherwise: the Go version, the module and its version, the
// revision built; a build from a modified or unknown revision adds its
// executable's path, size and modification time. Computed once.
var Build = sync.OnceValue(func() string {
	id := "go " + runtime.Version()
	exact := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, modified := "", true
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		id += " " + bi.Main.Path + "@" + bi.Main.Version + " " + rev
		exact = rev != "" && !modified || bi.Main.Version != "" && bi.Main.Version != "(devel)" && !strings.Contains(bi.Main.Version, "+dirty")
	}
	if !exact {
		if exe, err := os.Executable(); err == nil {
			if fi, err := os.Stat(exe); err == nil {
				id += " " + exe + " " + strconv.FormatInt(fi.Size(), 10) + " " + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
			}
		}
	}
	return id
})

package main

import (
	"bytes"
	"runtime/debug"
	"testing"
)

// TestVersionModified: a build with uncommitted changes says so in the
// language of --lang, in lofte version and in lofte --version.
func TestVersionModified(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.0", Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2022-08-31T12:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	sv, en := versionOf(info, "sv"), versionOf(info, "en")
	if want := "lofte (devel) 0123456789ab (ändrad) 2022-08-31T12:00:00Z go1.26.0"; sv != want {
		t.Errorf("sv: %q, want %q", sv, want)
	}
	if want := "lofte (devel) 0123456789ab (modified) 2022-08-31T12:00:00Z go1.26.0"; en != want {
		t.Errorf("en: %q, want %q", en, want)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--version"}, sv},
		{[]string{"--lang", "en", "--version"}, en},
		{[]string{"--version", "--lang=en"}, en},
		{[]string{"--lang", "sv", "--version"}, sv},
	} {
		var out, errs bytes.Buffer
		root := newRoot(&out, &errs)
		root.Version = sv
		root.SetVersionTemplate(versionTemplate(en))
		root.SetArgs(tt.args)
		if err := root.Execute(); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if got := out.String(); got != tt.want+"\n" {
			t.Errorf("%v: %q, want %q", tt.args, got, tt.want+"\n")
		}
	}
}

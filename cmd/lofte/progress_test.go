package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	// Not a terminal (a buffer, a pipe, a file): no progress at all.
	var quiet bytes.Buffer
	p := startProgress(&quiet, true)
	if p != nil {
		t.Fatal("progress on something that is not a terminal")
	}
	p.set("läser") // a nil progress does nothing
	p.end()

	// On a terminal: nothing for the first second, then one line
	// rewritten in place, cleared at the end.
	var out syncBuffer
	p = &progress{w: &out, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	p.set("läser förrådet")
	time.Sleep(progressDelay / 2)
	if out.String() != "" {
		t.Errorf("progress before %v: %q", progressDelay, out.String())
	}
	time.Sleep(progressDelay)
	p.set("utvärderar %d", 2022)
	time.Sleep(300 * time.Millisecond)
	p.end()
	p.end() // again: nothing
	got := out.String()
	if !strings.HasPrefix(got, "\r\x1b[Klofte: läser förrådet … 1,") && !strings.HasPrefix(got, "\r\x1b[Klofte: läser förrådet … 1.") {
		t.Errorf("first line %q", got)
	}
	if !strings.Contains(got, "\r\x1b[Klofte: utvärderar 2022 … ") || !strings.HasSuffix(got, "s\r\x1b[K") || strings.Contains(got, "\n") {
		t.Errorf("progress %q: want lines rewritten in place and cleared", got)
	}
}

// TestTerminal: /dev/null is a character device but no terminal: no
// colour and no progress line go to it.
func TestTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if st, err := null.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("%s is no character device here", os.DevNull)
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	if isTerminal(null) || isTTY(null) || startProgress(null, true) != nil {
		t.Errorf("%s taken for a terminal", os.DevNull)
	}
}

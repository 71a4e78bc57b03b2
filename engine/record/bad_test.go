package record

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the .err files of testdata/*.bad.*")

// TestBadFiles reads each testdata/*.bad.* file and compares the number
// of records kept and every diagnostic, place included, with the file of
// the same name plus ".err": a first line "# records: N", then one
// diagnostic a line as file:line:col: message (hint).
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.bad.*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".err") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			recs, diags := Parse(filepath.ToSlash(path), data, testVocab(), testParties)
			for _, r := range recs {
				checkRecord(t, r, testVocab(), testParties)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "# records: %d\n", len(recs))
			for _, d := range diags {
				b.WriteString(d.Error())
				b.WriteByte('\n')
			}
			errPath := path + ".err"
			if *update {
				if err := os.WriteFile(errPath, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(errPath)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
			if len(diags) == 0 {
				t.Errorf("%s: a bad file gave no diagnostic", path)
			}
		})
	}
	if n < 10 {
		t.Fatalf("found %d bad files, want the testdata fixtures", n)
	}
}

package record

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestIDNumbersNeverEchoed: a record holding a personnummer is left out,
// and no message repeats the number, in any part of it.
func TestIDNumbersNeverEchoed(t *testing.T) {
	for _, path := range []string{"testdata/personnummer.bad.yaml", "testdata/personnummer.bad.csv"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, diags := Parse(path, data, testVocab(), testParties)
		if len(diags) == 0 {
			t.Fatalf("%s: no diagnostics", path)
		}
		for _, d := range diags {
			for _, digits := range []string{"9876", "9873", "811218", "811278"} {
				if strings.Contains(d.Error(), digits) {
					t.Errorf("%s: message repeats the number: %s", path, d.Error())
				}
			}
		}
		for _, r := range recs {
			if r.Type != "anmalan" && strings.Contains(fmt.Sprint(r.Values, r.By), "9876") {
				t.Errorf("%s: kept a %s record with a personnummer", path, r.Type)
			}
		}
		if len(recs) != 1 {
			t.Errorf("%s: kept %d records, want 1", path, len(recs))
		}
	}
}

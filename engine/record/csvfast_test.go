package record

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parseBothWays reads a CSV file into columns with the fast path and
// without it.
func parseBothWays(t *testing.T, path string, data []byte, parties []string) (fast, slow *Chunk, fd, sd string) {
	t.Helper()
	voc := testVocab()
	fast, fdiags := ParseChunk(path, data, voc, parties)
	slowRowsOnly = true
	defer func() { slowRowsOnly = false }()
	slow, sdiags := ParseChunk(path, data, voc, parties)
	return fast, slow, fmt.Sprint(fdiags), fmt.Sprint(sdiags)
}

// sameBothWays fails t unless the fast path reads data as the slow path
// does: the same columns, dictionaries and party lists, the same
// encoding, the same diagnostics.
func sameBothWays(t *testing.T, path string, data []byte, parties []string) {
	t.Helper()
	fast, slow, fd, sd := parseBothWays(t, path, data, parties)
	if fd != sd {
		t.Fatalf("diagnostics (-slow +fast):\n%s", cmp.Diff(sd, fd))
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("records (-slow +fast):\n%s", cmp.Diff(slow.Records(), fast.Records()))
	}
	if fe, se := EncodeParsed(nil, fast, nil), EncodeParsed(nil, slow, nil); !bytes.Equal(fe, se) {
		t.Fatalf("the fast path's chunk encodes differently")
	}
}

func TestFastRowsAsSlow(t *testing.T) {
	const head = "date;type;by;deltagare;timmar;digital;uppfoljning;amnen;nivaer;skola;plats\n"
	for name, body := range map[string]string{
		"plain":       "2022-01-01;utbildning;polisen;3;2,5;ja;2022-02-01;a+b;grund;;\n2022-01-01;utbildning;polisen;3;2,5;ja;2022-02-01;a+b;grund;;\n",
		"spaces":      "2022-01-01 ;utbildning ; polisen ;3 ; 2,5;ja ;;a + b;;;\n2022-01-01;utbildning;polisen;3;2,5;ja;;a+b;;;\n",
		"case":        "2022-01-01;Utbildning;Polisen;;;JA;;;Grund;;\n2022-01-01;UTBILDNING;polisen;;;ja;;;grund;;\n",
		"bad values":  "2022-01-01;utbildning;polisen;x;y;kanske;2022-13-01;a++b;mellan;;\n2022-01-01;utbildning;polisen;3;;;;;;;\n2022-01-01;utbildning;polisen;x;;;;;;;\n",
		"bad core":    ";utbildning;polisen;;;;;;;;\n2022-01-01;;polisen;;;;;;;;\n2022-01-01;utbildning;;;;;;;;;\n2022-02-30;utbildning;polisen;;;;;;;;\n2022-01-01;okand;polisen;;;;;;;;\n2022-01-01;okand;polisen;;;;;;;;\n2022-01-01;utbildning;polisen+;;;;;;;;\n2022-01-01;utbildning;rektorn;;;;;;;;\n",
		"required":    "2022-01-01;hundsok;polisen;;;;;;;Ribbaskolan;\n2022-01-01;hundsok;polisen;;;;;;;Ribbaskolan;annan\n2022-01-01;hundsok;polisen;;;;;;;Ribbaskolan;  \n",
		"extra cells": "2022-01-01;utbildning;polisen;;;;;;;;;\n2022-01-01;utbildning;polisen;;;;;;;;;x\n2022-01-01;utbildning;polisen\n",
		"blank rows":  ";;;;;;;;;;\n  ;  ;\n\n2022-01-01;utbildning;polisen;;;;;;;;\n",
		"personal":    "2022-01-01;utbildning;polisen;;;;;19811218-9876;;;\n2022-01-01;utbildning;polisen;;;;;a+b;;;\n2022-01-01;utbildning;polisen;;;;;19811218-9876;;;\n",
		"quotes":      "2022-01-01;hundsok;polisen;;;;;;;\"Skola \"\"X\"\"\";annan\n\"2022-01-01\";\"hundsok\";\"polisen\";;;;;;;\"Skola \"\"X\"\"\";\"annan\"\n",
		"numbers":     "2022-01-01;utbildning;polisen;;-0;;;;;;\n2022-01-01;utbildning;polisen;;0;;;;;;\n2022-01-01;utbildning;polisen;;0,0;;;;;;\n",
	} {
		t.Run(name, func(t *testing.T) {
			sameBothWays(t, "data/x.csv", []byte(head+body), testParties)
			sameBothWays(t, "data/x.csv", []byte(head+body), nil)
		})
	}
	t.Run("undeclared columns", func(t *testing.T) {
		data := "date,type,by,skolan,,plats\n2022-01-01,hundsok,polisen,,,annan\n2022-01-01,hundsok,polisen,X,,annan\n" +
			"2022-01-01,hundsok,polisen,Y,,annan\n2022-01-01,utbildning,polisen,Z,,\n2022-01-01,hundsok,polisen,,v,annan\n"
		sameBothWays(t, "data/x.csv", []byte(data), testParties)
	})
	t.Run("windows-1252", func(t *testing.T) {
		sameBothWays(t, "data/x.csv", []byte("sep=;\r\ndate;type;by;skola;plats\r\n2022-01-01;hundsok;polisen;G\xe4rdet;annan\r\n2022-01-01;hundsok;polisen;G\xe4rdet;annan\r\n"), testParties)
	})
	t.Run("many distinct values", func(t *testing.T) {
		// More distinct values than a dictionary and the caches hold;
		// and more distinct ways of writing the parties.
		var b strings.Builder
		b.WriteString(head)
		for i := range 6000 {
			by := "polisen" + strings.Repeat(" ", i%3) + "+" + strings.Repeat(" ", i%700) + "kommunen"
			fmt.Fprintf(&b, "2022-01-%02d;utbildning;%s;%d;;;;x%d+y;;;\n", 1+i%28, by, i, i%5000)
		}
		sameBothWays(t, "data/x.csv", []byte(b.String()), testParties)
	})
	for seed := range uint64(4) {
		for _, f := range randomFiles(seed, 8) {
			if strings.HasSuffix(f.Path, ".csv") {
				sameBothWays(t, f.Path, f.Data, testParties)
			}
		}
	}
}

func TestCellCache(t *testing.T) {
	var cc cellCache
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[string]uint32{}
	for i := range 3 * cacheLimit {
		s := fmt.Sprintf("%x", rng.Uint64()>>uint(rng.IntN(64)))
		if i%7 == 0 {
			s = strings.Repeat("a", i%40) // the same first and last bytes
		}
		if _, ok := want[s]; !ok {
			if _, hit := cc.lookup(s); hit {
				t.Fatalf("%q found before it was put in", s)
			}
			cc.insert(s, uint32(i), i)
			want[s] = uint32(i)
		}
	}
	found := 0
	for s, code := range want {
		e, ok := cc.lookup(s)
		if !ok {
			continue // the cache may let a cell go
		}
		found++
		if got := cc.entries[e]; got.key != s || got.code != code || got.val != any(int(code)) {
			t.Fatalf("%q: entry %+v, want code %d", s, got, code)
		}
	}
	if found < cacheLimit/2 || len(cc.entries) > cacheLimit {
		t.Fatalf("%d of %d cells found, %d entries", found, len(want), len(cc.entries))
	}
}

func FuzzFastRowsAsSlow(f *testing.F) {
	addSeeds(f, []string{
		"date;type;by;deltagare;amnen;nivaer;skola;plats\n2022-01-01;utbildning;polisen;3;a+b;grund;;\n2022-01-01;utbildning;polisen;3;a+b;grund;;\n",
		"date,type,by,plats,x\n2022-01-01,hundsok,polisen,annan,\n2022-01-01,hundsok,polisen,annan,1\n2022-01-01,hundsok,polisen,,\n",
		"date;type;by;skola;plats\n2022-01-01;hundsok;polisen;\"a\"\"b\";annan\n2022-01-01 ;hundsok;kommunen+polisen;\"a\"\"b\";annan\n",
	}, ".csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		sameBothWays(t, "data/f.csv", data, testParties)
	})
}

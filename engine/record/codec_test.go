package record

import (
	"reflect"
	"testing"
)

// TestCodecRoundTrip: what ParseChunk gives, encoded and decoded, is the
// same records and problems, on files of every format, kind of value and
// with errors.
func TestCodecRoundTrip(t *testing.T) {
	files := randomFiles(7, 24)
	files = append(files,
		File{Path: "data/bad.csv", Data: []byte("date;type;by;plats\n2022-13-01;hundsok;polisen;annan\n2022-01-02;hundsok;polisen;okänd\n2022-01-03;hundsok;polisen;annan\n")},
		File{Path: "data/bad.yaml", Data: []byte("- {date: 2022-01-01, type: [\n")},
		File{Path: "data/empty.json", Data: []byte("[]")},
		File{Path: "data/x.txt", Data: []byte("?")},
	)
	for _, f := range files {
		c, diags := ParseChunk(f.Path, f.Data, testVocab(), testParties)
		enc := EncodeParsed(nil, c, diags)
		c2, diags2, err := DecodeParsed(enc)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if !reflect.DeepEqual(c.Records(), c2.Records()) || c.Len() != c2.Len() || !reflect.DeepEqual(c.Types(), c2.Types()) {
			t.Errorf("%s: records differ after a round trip", f.Path)
		}
		if !reflect.DeepEqual(diags, diags2) {
			t.Errorf("%s: problems differ: %v, want %v", f.Path, diags2, diags)
		}
		// Every truncation, and a flipped byte, is an error or (by chance)
		// a chunk that holds together; never a panic.
		for i := 0; i < len(enc); i += max(1, len(enc)/100) {
			if c3, _, err := DecodeParsed(enc[:i]); err == nil {
				_ = c3.Records()
			}
		}
		if len(enc) > 0 {
			bad := append([]byte(nil), enc...)
			bad[len(bad)/2] ^= 0x5a
			if c3, _, err := DecodeParsed(bad); err == nil {
				_ = c3.Records()
			}
		}
	}
}

func FuzzDecodeParsed(f *testing.F) {
	for _, file := range randomFiles(3, 4) {
		c, diags := ParseChunk(file.Path, file.Data, testVocab(), testParties)
		f.Add(EncodeParsed(nil, c, diags))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _, err := DecodeParsed(data)
		if err != nil {
			return
		}
		_ = c.Records()
		_ = c.Types()
		NewSetOfChunks([]*Chunk{c})
	})
}

// TestCodecPortable: the columns read with one copy (on a little-endian
// machine) read the same number by number, as on a big-endian one.
func TestCodecPortable(t *testing.T) {
	defer func(le bool) { littleEndian = le }(littleEndian)
	for _, f := range randomFiles(5, 8) {
		c, diags := ParseChunk(f.Path, f.Data, testVocab(), testParties)
		enc := EncodeParsed(nil, c, diags)
		littleEndian = true
		fast, _, err1 := DecodeParsed(enc)
		littleEndian = false
		slow, _, err2 := DecodeParsed(enc)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(fast.Records(), slow.Records()) || !reflect.DeepEqual(c.Records(), slow.Records()) {
			t.Errorf("%s: the two readings differ (%v, %v)", f.Path, err1, err2)
		}
	}
}

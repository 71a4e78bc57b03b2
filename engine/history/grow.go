package history

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

// csvGrowth is what growRefs knows of a version of a CSV file, so that a
// version appending to it is read without reading it again.
type csvGrowth struct {
	header      int // bytes up to the end of the header row (and a "sep=" line before it)
	headerLines int // lines in data[:header]
	lines       int // lines in the version
}

// growRefs reads the records of a CSV version that appends lines to the
// version data[:n] (see source.GrowFunc): the header row, then the
// appended lines, read as one file, their lines moved by the lines
// between. That reads them as Parse reads the whole version only when
// the version before ends at the end of a row: it ends with a newline
// and either holds no quote after its header or was read without a
// problem (a value in quotes can span lines, and an unclosed one takes
// the rest of the file). Both parts must be UTF-8 (else the whole file
// is read as Windows-1252), the header row one line without quotes, and
// the appended part read without a problem that can span rows or stop
// the file being read (a quote, a NUL byte, a line too long); anything
// else is left to a reading of the whole version.
func growRefs(path string, data []byte, n int, prev []source.RecordRef, state any, voc *promise.Vocabulary) ([]source.RecordRef, any, bool) {
	if !strings.EqualFold(filepath.Ext(path), ".csv") || n <= 0 || n > len(data) || data[n-1] != '\n' || len(prev) == 0 {
		return nil, nil, false
	}
	tail := data[n:]
	if !utf8.Valid(tail) {
		return nil, nil, false
	}
	st, _ := state.(*csvGrowth)
	if st == nil {
		if st = csvHead(path, data[:n], voc); st == nil {
			return nil, nil, false
		}
	}
	text := make([]byte, 0, st.header+len(tail))
	text = append(append(text, data[:st.header]...), tail...)
	recs, diags := record.Parse(path, text, voc, nil)
	if diags.Errors() > 0 && (len(recs) == 0 || bytes.IndexByte(tail, '"') >= 0) {
		return nil, nil, false
	}
	if bytes.IndexByte(tail, 0) >= 0 {
		return nil, nil, false
	}
	shift := st.lines - st.headerLines
	refs := make([]source.RecordRef, len(recs))
	for i := range recs {
		rec := &recs[i]
		refs[i] = source.RecordRef{Key: recordKey(rec), Type: rec.Type, Date: rec.Date.String(), By: rec.By, Line: rec.Pos.Line + shift}
	}
	next := *st
	next.lines += bytes.Count(tail, []byte("\n"))
	return refs, &next, true
}

// csvHead is what growRefs needs to know of a version read whole: nil
// when a version appending to it is to be read whole too.
func csvHead(path string, data []byte, voc *promise.Vocabulary) *csvGrowth {
	if !utf8.Valid(data) {
		return nil
	}
	st := &csvGrowth{lines: bytes.Count(data, []byte("\n"))}
	rest := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for {
		line, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok || bytes.IndexByte(line, '"') >= 0 {
			return nil
		}
		st.headerLines++
		rest = after
		if first := bytes.TrimSpace(line); st.headerLines > 1 || len(first) < 4 || !strings.EqualFold(string(first[:4]), "sep=") {
			break
		}
	}
	st.header = len(data) - len(rest)
	if bytes.IndexByte(rest, '"') >= 0 {
		if _, diags := record.Parse(path, data, voc, nil); len(diags) > 0 {
			return nil
		}
	}
	return st
}

package history

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/internal/binread"
	"github.com/lofte/lofte/internal/version"
)

// The outcome cache, .git/lofte/outcome.bin, holds what an evaluation
// needs of history (docs/reference.md §8): the recording lag of each
// activity type and the day the tip was committed, and, read only when
// asked, the commit that added each record, by its place. It is keyed by
// everything the match depends on: the commit read, the vocabulary, the
// commitments root and each record file's content (its path only when
// the files are the commit's own), the program's build and this format's
// version. A cache
// whose key, version or checksums do not fit is read as none and written
// again by the next full reading of history.
//
// Layout, integers little-endian:
//
//	magic "lofteout", uint32 version, [32]byte key,
//	uint32 length and CRC-32C of the head, uint64 length and CRC-32C of the body,
//	head: uvarint tip day + 1<<20, commits, lags
//	body: per record file, path, count, and per record (sorted by line
//	      and column) line delta, column and commit + 1 (0: none), uvarints
const (
	outcomeMagic   = "lofteout"
	outcomeVersion = 1
	outcomeFile    = "outcome.bin"
	outcomeFixed   = 8 + 4 + 32 + 4 + 4 + 8 + 4
	// maxOutcomeHead bounds the head read: a longer one is damage.
	maxOutcomeHead = 64 << 20
	// historySemantics names the meaning of a match: it changes with the
	// walk's (source.Repo.Provenance) and the matching's rules.
	historySemantics = "m1"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// outcomeKey names what a match depends on; ok is false when it cannot be
// named (no commit, records kept from an older version of a file, or a
// changed file whose content is no longer known), and then no cache is used.
func outcomeKey(src *source.Repo, snap *source.Snapshot, exact bool) (key [32]byte, ok bool) {
	if src == nil || snap == nil || snap.Commit == "" || !snap.Git || !exact {
		return key, false
	}
	h := sha256.New()
	put := func(s string) {
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(outcomeMagic)
	put(keyVersion)
	put(historySemantics)
	put(version.Build()) // the records a build reads, and so what they match, may differ in another
	put(vocabFingerprint(snap))
	put(src.Root())
	put(snap.Commit)
	if snap.Dirty {
		put("dirty")
	} else {
		put("clean") // every file is the commit's: the paths say which
	}
	for i := range snap.Files {
		f := &snap.Files[i]
		if !isRecordFile(f.Path) {
			continue
		}
		put(f.Path)
		if !snap.Dirty {
			continue
		}
		id := f.ID
		if id == (source.BlobID{}) {
			if f.Data == nil {
				return key, false
			}
			id = source.FileID(f.Data)
		}
		h.Write(id[:])
	}
	copy(key[:], h.Sum(nil))
	return key, true
}

func isRecordFile(p string) bool { return strings.HasPrefix(p, "data/") && record.IsRecordFile(p) }

// outcomeHead is the head of the cache: what provisional marking needs.
type outcomeHead struct {
	tipDay  calendar.Date
	commits []source.Commit
	lags    []eval.Lag // Title not stored: the vocabulary gives it
}

// placed is one record of the body: its place and the index of its
// commit in outcomeHead.commits (-1: none).
type placed struct {
	line, col, commit int32
}

// outcomeBody is the commit of each record, by file.
type outcomeBody map[string][]placed

// origin finds the commit index of the record at pos; false when none.
func (b outcomeBody) origin(pos diag.Pos) (int32, bool) {
	recs := b[pos.File]
	i, ok := slices.BinarySearchFunc(recs, pos, func(p placed, pos diag.Pos) int {
		return cmp.Or(cmp.Compare(int(p.line), pos.Line), cmp.Compare(int(p.col), pos.Col))
	})
	if !ok || recs[i].commit < 0 {
		return 0, false
	}
	return recs[i].commit, true
}

// outcomePath is the cache's file, "" without a cache folder.
func outcomePath(src *source.Repo) string {
	dir := src.CacheDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, outcomeFile)
}

var errOutcome = errors.New("outcome cache does not fit")

// readOutcome reads the head of the cache at file for key, and the body
// too when body is set.
func readOutcome(file string, key [32]byte, body bool) (*outcomeHead, outcomeBody, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var fixed [outcomeFixed]byte
	if _, err := io.ReadFull(f, fixed[:]); err != nil {
		return nil, nil, err
	}
	if string(fixed[:8]) != outcomeMagic || binary.LittleEndian.Uint32(fixed[8:]) != outcomeVersion ||
		!bytes.Equal(fixed[12:44], key[:]) {
		return nil, nil, errOutcome
	}
	headLen, headSum := binary.LittleEndian.Uint32(fixed[44:]), binary.LittleEndian.Uint32(fixed[48:])
	bodyLen, bodySum := binary.LittleEndian.Uint64(fixed[52:]), binary.LittleEndian.Uint32(fixed[60:])
	if headLen > maxOutcomeHead {
		return nil, nil, errOutcome
	}
	if st, err := f.Stat(); err != nil || uint64(st.Size()) != outcomeFixed+uint64(headLen)+bodyLen {
		return nil, nil, errOutcome
	}
	hb := make([]byte, headLen)
	if _, err := io.ReadFull(f, hb); err != nil || crc32.Checksum(hb, castagnoli) != headSum {
		return nil, nil, errOutcome
	}
	head, ok := decodeHead(hb)
	if !ok {
		return nil, nil, errOutcome
	}
	if !body {
		return head, nil, nil
	}
	bb := make([]byte, bodyLen)
	if _, err := io.ReadFull(f, bb); err != nil || crc32.Checksum(bb, castagnoli) != bodySum {
		return nil, nil, errOutcome
	}
	b, ok := decodeBody(bb, len(head.commits))
	if !ok {
		return nil, nil, errOutcome
	}
	return head, b, nil
}

// writeOutcome writes the cache through a temporary file renamed over it:
// a reader sees the old cache or the new one, never half of one. Failing
// to write it (a read-only repository) only makes the next run slower.
func writeOutcome(file string, key [32]byte, head []byte, body []byte) {
	if file == "" {
		return
	}
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".outcome-*.tmp")
	if err != nil {
		return
	}
	defer os.Remove(tmp.Name())
	fixed := make([]byte, 0, outcomeFixed)
	fixed = append(fixed, outcomeMagic...)
	fixed = binary.LittleEndian.AppendUint32(fixed, outcomeVersion)
	fixed = append(fixed, key[:]...)
	fixed = binary.LittleEndian.AppendUint32(fixed, uint32(len(head)))
	fixed = binary.LittleEndian.AppendUint32(fixed, crc32.Checksum(head, castagnoli))
	fixed = binary.LittleEndian.AppendUint64(fixed, uint64(len(body)))
	fixed = binary.LittleEndian.AppendUint32(fixed, crc32.Checksum(body, castagnoli))
	_, err = tmp.Write(fixed)
	if err == nil {
		_, err = tmp.Write(head)
	}
	if err == nil {
		_, err = tmp.Write(body)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_ = os.Rename(tmp.Name(), file)
	}
}

// encodeOutcome makes the head and body of the cache from a full match;
// false when the records' places do not name them one each (two records
// at one place), so that a cache could not answer Origin as the match does.
func (p *Provenance) encodeOutcome() (head, body []byte, ok bool) {
	commits, files, ok := p.placedByFile()
	if !ok {
		return nil, nil, false
	}
	tipDay := p.Known
	if tip, ok := p.History.TipCommit(); ok {
		tipDay = calendar.Today(tip.When)
	}
	head = encodeHead(tipDay, commits, p.SortedLags())
	if body, ok = encodeBody(files); !ok {
		return nil, nil, false
	}
	return head, body, true
}

// placedByFile returns the commits records were added by, and the place
// and commit (an index in them, -1: none) of each record, by file; false
// for a place that does not fit the encoding.
func (p *Provenance) placedByFile() ([]source.Commit, map[string][]placed, bool) {
	h := p.History
	// Only the commits records were added by are kept.
	remap := map[int32]int32{}
	var commits []source.Commit
	use := func(c int32) int32 {
		if i, ok := remap[c]; ok {
			return i
		}
		i := int32(len(commits))
		remap[c] = i
		commits = append(commits, h.Commits[c])
		return i
	}
	// The records of each file, in one slice made to measure.
	count := map[string]int{}
	for _, rows := range p.recs.rows {
		for k := range rows.Len() {
			count[rows.File(k)]++
		}
	}
	all := make([]placed, 0, p.recs.n)
	files := make(map[string][]placed, len(count))
	for f, n := range count {
		files[f], all = all[len(all):len(all):len(all)+n], all[:len(all)+n]
	}
	i := 0
	for _, rows := range p.recs.rows {
		for k := range rows.Len() {
			a := p.added[i]
			i++
			c := int32(-1)
			if a >= 0 {
				c = use(h.Added[a].Commit)
			}
			pos := rows.Pos(k)
			if pos.Line < 0 || pos.Col < 0 || pos.Line > math.MaxInt32 || pos.Col > math.MaxInt32 {
				return nil, nil, false
			}
			files[pos.File] = append(files[pos.File], placed{line: int32(pos.Line), col: int32(pos.Col), commit: c})
		}
	}
	return commits, files, true
}

// encodeHead writes the tip's day, the commits and the lags.
func encodeHead(tipDay calendar.Date, commits []source.Commit, lags []eval.Lag) []byte {
	var head []byte
	head = binary.AppendUvarint(head, uint64(int64(tipDay)+1<<20))
	head = binary.AppendUvarint(head, uint64(len(commits)))
	for _, c := range commits {
		for _, s := range []string{c.Hash, c.Author, c.Email, c.Subject} {
			head = appendString(head, s)
		}
		_, off := c.When.Zone()
		head = binary.AppendVarint(head, c.When.Unix())
		head = binary.AppendUvarint(head, uint64(c.When.Nanosecond()))
		head = binary.AppendVarint(head, int64(off))
	}
	head = binary.AppendUvarint(head, uint64(len(lags)))
	for _, l := range lags {
		head = appendString(head, l.Type)
		head = binary.AppendUvarint(head, uint64(l.Median))
		head = binary.AppendUvarint(head, uint64(l.P90))
		head = binary.AppendUvarint(head, uint64(l.Records))
	}
	return head
}

// encodeBody writes the records of each file, in path order, each file's
// by place; false when two records share a place.
func encodeBody(files map[string][]placed) ([]byte, bool) {
	paths := make([]string, 0, len(files))
	for f := range files {
		paths = append(paths, f)
	}
	slices.Sort(paths)
	body := binary.AppendUvarint(nil, uint64(len(paths)))
	for _, f := range paths {
		recs := files[f]
		slices.SortFunc(recs, func(a, b placed) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col)) })
		body = appendString(body, f)
		body = binary.AppendUvarint(body, uint64(len(recs)))
		last := int32(0)
		for j, r := range recs {
			if j > 0 && r.line == recs[j-1].line && r.col == recs[j-1].col {
				return nil, false
			}
			body = binary.AppendUvarint(body, uint64(r.line-last))
			body = binary.AppendUvarint(body, uint64(r.col))
			body = binary.AppendUvarint(body, uint64(r.commit+1))
			last = r.line
		}
	}
	return body, true
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func decodeHead(b []byte) (*outcomeHead, bool) {
	r := &binread.Reader{B: b}
	h := &outcomeHead{tipDay: calendar.Date(int64(r.Uint()) - 1<<20)}
	n := r.Count(7)
	h.commits = make([]source.Commit, 0, n)
	for range n {
		c := source.Commit{Hash: r.String(), Author: r.String(), Email: r.String(), Subject: r.String()}
		sec, nsec, off := r.Int(), r.Uint(), r.Int()
		if nsec >= 1e9 || off < -24*3600 || off > 24*3600 {
			return nil, false
		}
		c.When = time.Unix(sec, int64(nsec)).In(time.FixedZone("", int(off)))
		h.commits = append(h.commits, c)
	}
	n = r.Count(4)
	for range n {
		l := eval.Lag{Type: r.String()}
		l.Median, l.P90, l.Records = int(r.Uint()), int(r.Uint()), int(r.Uint())
		h.lags = append(h.lags, l)
	}
	return h, !r.Bad && len(r.B) == 0
}

func decodeBody(b []byte, commits int) (outcomeBody, bool) {
	r := &binread.Reader{B: b}
	n := r.Count(2)
	out := make(outcomeBody, n)
	for range n {
		f := r.String()
		m := r.Count(3)
		recs := make([]placed, m)
		line := 0
		for j := range recs {
			line += int(r.Uint())
			col, c := r.Uint(), r.Uint()
			if c > uint64(commits) || col > math.MaxInt32 || line < 0 || line > math.MaxInt32 {
				return nil, false
			}
			recs[j] = placed{line: int32(line), col: int32(col), commit: int32(c) - 1}
		}
		if r.Bad {
			return nil, false
		}
		out[f] = recs
	}
	return out, !r.Bad && len(r.B) == 0
}

// lagsOf gives the cached lags their titles from the vocabulary.
func lagsOf(cached []eval.Lag, voc *promise.Vocabulary) map[string]eval.Lag {
	out := make(map[string]eval.Lag, len(cached))
	for _, l := range cached {
		l.Title = l.Type
		if a := voc.Activity(l.Type); a != nil && a.Title != "" {
			l.Title = a.Title
		}
		out[l.Type] = l
	}
	return out
}

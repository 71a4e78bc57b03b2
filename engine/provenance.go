package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

// Provenance is where the records of a loaded repository come from: for
// each record, the commit that added it (see source.Repo.Provenance), and
// from that, how long each activity type takes to be recorded.
type Provenance struct {
	// History is the walk's outcome: every commit and every record added.
	History *source.History
	// Known is the day the records were read as known: the evaluation of
	// lag compares it with the evaluation date.
	Known calendar.Date
	// Lags are the recording lags by activity type, for the types with
	// at least MinLagRecords measured records.
	Lags map[string]eval.Lag

	origin map[diag.Pos]int32 // a record's place → index in History.Added
	placed map[int32]diag.Pos // the reverse, for the additions still there
}

// Recording lags are measured over records added at most MaxLag days
// after their date: records entered much later are an import of old data,
// not a habit of recording, and would swamp the figures. A type needs
// MinLagRecords such records for its lag to be used.
const (
	MaxLag        = 365
	MinLagRecords = 5
)

// keyVersion changes when recordKey does, so that a cache of keys made
// the old way is not used.
const keyVersion = "k1"

// ReadProvenance walks the history of the repository's commit (see
// source.Repo.Provenance), reading every version of each data file with
// the repository's vocabulary, and finds the commit that added each
// record. known is the day the records are known, today for the working
// tree; 0 takes the commit's date. A plain folder or a repository without
// commits gives records no provenance, and no error.
func (r *Repository) ReadProvenance(src *source.Repo, known calendar.Date) (*Provenance, error) {
	voc := r.Vocab
	h, err := src.Provenance(r.Snapshot.Commit, source.ProvenanceOptions{
		Files:       func(p string) bool { return strings.HasPrefix(p, "data/") && record.IsRecordFile(p) },
		Keys:        func(p string, data []byte) ([]source.RecordRef, bool) { return recordRefs(p, data, voc) },
		Fingerprint: r.vocabFingerprint(),
	})
	if err != nil {
		return nil, err
	}
	if known == 0 {
		if tip, ok := h.TipCommit(); ok {
			known = calendar.Today(tip.When)
		}
	}
	p := &Provenance{History: h, Known: known, origin: map[diag.Pos]int32{}, placed: map[int32]diag.Pos{}}
	p.match(r.Records)
	p.Lags = p.lags(r.Records, r.Vocab)
	return p, nil
}

// recordRefs reads one version of a data file for the provenance walk.
func recordRefs(path string, data []byte, voc *promise.Vocabulary) ([]source.RecordRef, bool) {
	recs, diags := record.Parse(path, data, voc, nil)
	if len(recs) == 0 && diags.Errors() > 0 {
		return nil, true
	}
	refs := make([]source.RecordRef, len(recs))
	for i := range recs {
		rec := &recs[i]
		refs[i] = source.RecordRef{Key: recordKey(rec), Type: rec.Type, Date: rec.Date.String(), By: rec.By, Line: rec.Pos.Line}
	}
	return refs, false
}

// vocabFingerprint names the vocabulary records are read against.
func (r *Repository) vocabFingerprint() string {
	sum := sha256.New()
	sum.Write([]byte(keyVersion))
	for _, f := range r.Snapshot.Files {
		if f.Path == promise.ActivitiesFile {
			sum.Write(f.Data)
		}
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// recordKey is a record's content as a key: type, date, parties (in any
// order) and values, each value with its kind, so that the same record
// written in CSV or YAML, in any file, at any line, has the same key.
func recordKey(rec *record.Record) source.RecordKey {
	h := sha256.New()
	put := func(s string) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(rec.Type)
	put(rec.Date.String())
	by := slices.Clone(rec.By)
	slices.Sort(by)
	put(strings.Join(by, "+"))
	for _, v := range rec.Values {
		put(valueKey(v))
	}
	var k source.RecordKey
	copy(k[:], h.Sum(nil))
	return k
}

func valueKey(v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case string:
		return "s" + x
	case int:
		return "i" + strconv.Itoa(x)
	case float64:
		return "f" + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return "b" + strconv.FormatBool(x)
	case calendar.Date:
		return "d" + x.String()
	case []any:
		var b strings.Builder
		b.WriteString("l")
		for _, e := range x {
			s := valueKey(e)
			b.WriteString(strconv.Itoa(len(s)) + ":" + s)
		}
		return b.String()
	}
	return "?"
}

// match finds the addition of each record: of the additions of its key,
// the latest one to the same file, else the latest one, each used once.
func (p *Provenance) match(set *record.Set) {
	byKey := map[source.RecordKey][]diag.Pos{}
	for _, typ := range set.Types() {
		for i := range set.Of(typ) {
			rec := &set.Of(typ)[i]
			k := recordKey(rec)
			byKey[k] = append(byKey[k], rec.Pos)
		}
	}
	for k, places := range byKey {
		cands := p.History.Of(k)
		if len(cands) == 0 {
			continue
		}
		used := make([]bool, len(cands))
		take := func(i int, pos diag.Pos) {
			used[i] = true
			p.origin[pos] = cands[i]
			p.placed[cands[i]] = pos
		}
		var rest []diag.Pos
		for _, pos := range places {
			found := false
			for i := len(cands) - 1; i >= 0; i-- {
				if !used[i] && p.History.Added[cands[i]].Path == pos.File {
					take(i, pos)
					found = true
					break
				}
			}
			if !found {
				rest = append(rest, pos)
			}
		}
		for _, pos := range rest {
			for i := len(cands) - 1; i >= 0; i-- {
				if !used[i] {
					take(i, pos)
					break
				}
			}
		}
	}
}

// Origin returns the commit that added the record; false when no commit
// did (a record not committed yet, in the working tree).
func (p *Provenance) Origin(rec *record.Record) (source.Commit, bool) {
	if p == nil {
		return source.Commit{}, false
	}
	a, ok := p.origin[rec.Pos]
	if !ok {
		return source.Commit{}, false
	}
	return p.History.Commits[p.History.Added[a].Commit], true
}

// lags measures each activity type's recording lag over the records that
// have a commit: the days from the record's date to the commit's date in
// Sweden.
func (p *Provenance) lags(set *record.Set, voc *promise.Vocabulary) map[string]eval.Lag {
	out := map[string]eval.Lag{}
	for _, typ := range set.Types() {
		if typ == promise.Assessment {
			continue
		}
		var days []int
		recs := set.Of(typ)
		for i := range recs {
			c, ok := p.Origin(&recs[i])
			if !ok {
				continue
			}
			d := max(0, int(calendar.Today(c.When)-recs[i].Date))
			if d <= MaxLag {
				days = append(days, d)
			}
		}
		if len(days) < MinLagRecords {
			continue
		}
		slices.Sort(days)
		title := typ
		if a := voc.Activity(typ); a != nil && a.Title != "" {
			title = a.Title
		}
		out[typ] = eval.Lag{Type: typ, Title: title, Median: rank(days, 0.5), P90: rank(days, 0.9), Records: len(days)}
	}
	return out
}

// rank is the nearest-rank percentile q of sorted values.
func rank(sorted []int, q float64) int {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// SortedLags lists the lags by activity id.
func (p *Provenance) SortedLags() []eval.Lag {
	if p == nil {
		return nil
	}
	out := make([]eval.Lag, 0, len(p.Lags))
	for _, l := range p.Lags {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b eval.Lag) int { return strings.Compare(a.Type, b.Type) })
	return out
}

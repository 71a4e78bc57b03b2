package write

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// Preview is an uploaded record file as it would be imported.
type Preview struct {
	// Header holds a CSV file's column names.
	Header []string
	// Rows are the file's records (CSV: rows) with a record or a problem,
	// in file order.
	Rows []Row
	// Problems lists every problem, those about the file as a whole
	// (Row 0) first.
	Problems []Problem
}

// Row is one record of an upload.
type Row struct {
	Line     int          // where it starts in the file, from 1
	Entry    record.Entry // the record as it would be written; zero with a problem
	Problems []Problem
}

// OK reports whether the upload can be imported: no row has a problem.
func (p *Preview) OK() bool { return len(p.Problems) == 0 && len(p.Rows) > 0 }

// Preview reads an uploaded record file (file is its name: .csv, also
// .yaml, .json or .jsonl) with the readers of the data/ folder
// (docs/reference.md §4: a CSV file from Excel with "sep=;", a byte order
// mark or Windows-1252 reads as it is), checks it against the rules and
// returns its rows with each problem at its cell. Nothing is written.
func (w *Writer) Preview(file string, data []byte) (*Preview, error) {
	r, err := w.rules()
	if err != nil {
		return nil, err
	}
	return preview(file, data, r), nil
}

func preview(file string, data []byte, r *repository.Repository) *Preview {
	name := path.Base(strings.ReplaceAll(file, "\\", "/"))
	p := &Preview{}
	if strings.EqualFold(path.Ext(name), ".csv") {
		p.Header = record.CSVHeader(data)
	}
	recs, diags := record.Parse(name, data, r.Vocab, r.Parties())
	rows := map[int]*Row{}
	row := func(line int) *Row {
		if rows[line] == nil {
			rows[line] = &Row{Line: line}
		}
		return rows[line]
	}
	for _, rec := range recs {
		e, ok := entryOf(rec, r.Vocab)
		if !ok {
			continue
		}
		row(rec.Pos.Line).Entry = e
	}
	for _, d := range diags {
		if d.Severity != diag.Error {
			continue
		}
		pr := Problem{Diagnostic: d, Entry: -1, Row: d.Line}
		if d.Field != "" && p.Header != nil {
			pr.Column = slices.Index(p.Header, d.Field) + 1
		}
		if d.Line > 0 {
			rw := row(d.Line)
			rw.Entry = record.Entry{}
			rw.Problems = append(rw.Problems, pr)
		}
		p.Problems = append(p.Problems, pr)
	}
	lines := make([]int, 0, len(rows))
	for l := range rows {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	for i, l := range lines {
		rw := rows[l]
		for j := range rw.Problems {
			rw.Problems[j].Entry = i
		}
		p.Rows = append(p.Rows, *rw)
	}
	for i := range p.Problems {
		if p.Problems[i].Row > 0 {
			p.Problems[i].Entry = slices.Index(lines, p.Problems[i].Row)
		}
	}
	slices.SortStableFunc(p.Problems, func(a, b Problem) int { return a.Row - b.Row })
	return p
}

// Import reads an upload as Preview does and, when no row has a problem,
// appends its records to data/YEAR/TYPE.yaml in one commit by author
// (message empty: "Uppladdning: FIL (N poster)"). The records are written
// as YAML, like those of Record, rather than the file stored as it came:
// one layout for every record, so that a record can be undone, and
// re-applied on a moved remote, by what it added at the end of its file;
// and no second copy appears when the same file is uploaded under another
// name. A bad upload is an *InvalidError with each problem at its row and
// cell; nothing is written.
func (w *Writer) Import(file string, data []byte, author source.Identity, message string) (Result, error) {
	r, err := w.rules()
	if err != nil {
		return Result{}, err
	}
	p := preview(file, data, r)
	if len(p.Problems) > 0 {
		return Result{}, &InvalidError{Problems: p.Problems}
	}
	if len(p.Rows) == 0 {
		return Result{}, fmt.Errorf("%s har inga poster", path.Base(file))
	}
	entries := make([]record.Entry, len(p.Rows))
	for i, rw := range p.Rows {
		entries[i] = rw.Entry
	}
	if message == "" {
		message = fmt.Sprintf("Uppladdning: %s (%d poster)", path.Base(file), len(entries))
	}
	return w.Record(entries, author, message)
}

// entryOf turns a record read from a file back into an entry, its values
// written as the readers read them back: text as it is, numbers with a
// decimal point, lists joined with "+". A false bool is left out, which
// reads as false.
func entryOf(rec record.Record, voc *promise.Vocabulary) (record.Entry, bool) {
	act := voc.Activity(rec.Type)
	if act == nil {
		return record.Entry{}, false
	}
	e := record.Entry{Type: rec.Type, Date: rec.Date, By: slices.Clone(rec.By)}
	for i, v := range rec.Values {
		if i >= len(act.Fields) || v == nil || v == false {
			continue
		}
		s, ok := text(v)
		if !ok {
			return record.Entry{}, false
		}
		e.Fields = append(e.Fields, record.EntryField{Name: act.Fields[i].Name, Value: s})
	}
	return e, true
}

func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	case calendar.Date:
		return v.String(), true
	case []any:
		parts := make([]string, len(v))
		for i, el := range v {
			s, ok := text(el)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return strings.Join(parts, "+"), true
	}
	return "", false
}

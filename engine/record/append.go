package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/privacy"
	"github.com/lofte/lofte/engine/promise"
)

// Entry is one record given field by field, as on the command line:
// lofte record trafikkontroll form=civil plats="väg 47".
type Entry struct {
	Type   string
	Date   calendar.Date
	By     []string
	Fields []EntryField // in the order given
}

// EntryField is one field=value of an Entry, the value as written.
type EntryField struct {
	Name  string
	Value string
}

// entryFile names the record in messages about the entry alone.
const entryFile = "posten"

// CheckEntry checks an entry against the vocabulary and the parties, as
// the readers check a record of a file, and returns the activity type.
// The problems have no place: they are about what was given; each one
// about a field names it in Field ("date", "by", "plats").
func CheckEntry(e Entry, voc *promise.Vocabulary, parties []string) (*promise.Activity, diag.List) {
	var errs diag.List
	if privacy.ContainsIDNumber(e.Type) {
		// Neither repeated nor matched against the types: it is not one
		// (docs/reference.md §11).
		errs.Add(diag.Pos{}, "registreringar räknar aktiviteter och innehåller aldrig uppgifter om personer",
			"aktivitetstypen ser ut som ett personnummer eller samordningsnummer")
		return nil, errs
	}
	act := voc.Activity(e.Type)
	if act == nil {
		for _, a := range voc.Activities {
			if strings.EqualFold(a.ID, e.Type) {
				act = a
			}
		}
	}
	if act == nil {
		hint := diag.DidYouMean(e.Type, voc.IDs())
		if hint == "" {
			hint = "aktivitetstyperna är " + strings.Join(voc.IDs(), ", ")
		}
		errs.Add(diag.Pos{}, hint, "okänd aktivitetstyp %q", e.Type)
		errs[0].Field = promise.FieldType
		return nil, errs
	}
	seen := map[string]bool{}
	for _, f := range e.Fields {
		switch {
		case seen[f.Name]:
			errs.Add(diag.Pos{}, "", "fältet %s står två gånger", f.Name)
			errs[len(errs)-1].Field = f.Name
		case strings.ContainsAny(f.Value, "\n\r"):
			errs.Add(diag.Pos{}, "skriv värdet på en rad", "%s: värdet har en radbrytning", f.Name)
			errs[len(errs)-1].Field = f.Name
		}
		seen[f.Name] = true
	}
	if len(errs) > 0 {
		return act, errs
	}
	e.Type = act.ID
	src, err := render(e, act, false, 0)
	if err != nil {
		errs.Add(diag.Pos{}, "", "posten kan inte skrivas som YAML: %v", err)
		return act, errs
	}
	_, errs = Parse(entryFile+".yaml", src, voc, parties)
	for _, d := range errs {
		d.Pos = diag.Pos{}
	}
	return act, errs
}

// AppendYAML returns old, the content of a YAML record file (nil for a new
// file), with the entry added as one more record at the end: every byte of
// old stays as it was, comments and formatting included, and the record is
// written in the style of the file's last record (block or flow) at the
// indentation of its list. It checks the entry, that old reads without a
// problem, and that the result reads as old's records and the entry; any
// problem comes back and nothing is to be written.
func AppendYAML(file string, old []byte, e Entry, voc *promise.Vocabulary, parties []string) ([]byte, diag.List) {
	act, errs := CheckEntry(e, voc, parties)
	if len(errs) > 0 {
		return nil, errs
	}
	e.Type = act.ID
	before, errs := Parse(file, old, voc, parties)
	if len(errs) > 0 {
		var out diag.List
		out.Add(diag.Pos{File: file}, "rätta felen först (lofte check visar dem), eller skriv posten för hand",
			"%s har fel, så ingen post läggs till: %s", file, errs[0].Error())
		return nil, out
	}
	flow, indent, err := listStyle(old)
	if err != nil {
		var out diag.List
		out.Add(diag.Pos{File: file}, "skriv om filen som en lista, en post per - …", "%s: %v", file, err)
		return nil, out
	}
	item, err := render(e, act, flow, indent)
	if err != nil {
		var out diag.List
		out.Add(diag.Pos{}, "", "posten kan inte skrivas som YAML: %v", err)
		return nil, out
	}
	data := bytes.Clone(old)
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	data = append(data, item...)
	after, errs := Parse(file, data, voc, parties)
	if len(errs) > 0 || len(after) != len(before)+1 {
		var out diag.List
		msg := "posten kunde inte läggas till så att filen fortfarande går att läsa"
		if len(errs) > 0 {
			msg += ": " + errs[0].Error()
		}
		out.Add(diag.Pos{File: file}, "skriv posten för hand", "%s", msg)
		return nil, out
	}
	return data, nil
}

// listStyle finds how the records of a YAML file are written: as flow
// mappings ({date: …}) or blocks, and the indentation of the list. An
// empty file (or one with comments only) is a block list at column 0.
func listStyle(src []byte) (flow bool, indent int, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var last *yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return false, 0, err
		}
		if len(doc.Content) > 0 {
			last = doc.Content[0]
		}
	}
	switch {
	case last == nil:
		return false, 0, nil
	case last.Kind != yaml.SequenceNode:
		return false, 0, errors.New("filen är ingen lista med poster (- date: …), så en post kan inte läggas till sist")
	case last.Style&yaml.FlowStyle != 0:
		return false, 0, errors.New("listan är skriven inom [ ], så en post kan inte läggas till sist")
	case len(last.Content) == 0:
		return false, last.Column - 1, nil
	}
	item := last.Content[len(last.Content)-1]
	return item.Style&yaml.FlowStyle != 0, last.Column - 1, nil
}

// render writes the entry as one item of a YAML list.
func render(e Entry, act *promise.Activity, flow bool, indent int) ([]byte, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	if flow {
		m.Style = yaml.FlowStyle
	}
	add := func(k string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
	}
	plain := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	add(promise.FieldDate, plain(e.Date.String()))
	add(promise.FieldType, plain(e.Type))
	add(promise.FieldBy, plain(strings.Join(e.By, "+")))
	for _, f := range e.Fields {
		add(f.Name, fieldNode(act.Field(f.Name), f.Value))
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{m}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if indent == 0 {
		return b.Bytes(), nil
	}
	pad := strings.Repeat(" ", indent)
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			out.WriteString(pad + line)
		}
	}
	return out.Bytes(), nil
}

// fieldNode is a field's value as YAML: a list field's elements joined
// with "+" become a list; a text stays text even when it looks like a
// number; other values are written as given, for the reader to convert.
func fieldNode(f *promise.Field, v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: v}
	if f == nil {
		return n
	}
	switch f.Type.Kind {
	case promise.String:
		n.Tag = "!!str"
	case promise.List:
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, el := range strings.Split(v, "+") {
			el = strings.TrimSpace(el)
			if el == "" {
				continue
			}
			en := &yaml.Node{Kind: yaml.ScalarNode, Value: el}
			if f.Type.Elem != nil && f.Type.Elem.Kind == promise.String {
				en.Tag = "!!str"
			}
			seq.Content = append(seq.Content, en)
		}
		return seq
	}
	return n
}

// String is the entry as the user might have typed it, for messages.
func (e Entry) String() string {
	s := fmt.Sprintf("%s %s (%s)", e.Type, e.Date, strings.Join(e.By, "+"))
	return s
}

package docread

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// wml is the namespace of WordprocessingML: encoding/xml gives the URI,
// not the prefix w.
const wml = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// maxPart bounds one unzipped part of a .docx (a zip bomb stops here).
const maxPart = 64 << 20

// Docx reads the text of a Word document: headings (by style), bullets and
// numbered items (by word/numbering.xml), table rows and paragraphs, in
// the plain form of the package comment. Deleted text and field codes are
// left out; field results stay.
func Docx(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", errors.New("filen är ingen .docx (den går inte att packa upp som zip): spara den från Word som .docx igen")
	}
	parts := map[string][]byte{}
	for _, name := range []string{"word/document.xml", "word/numbering.xml", "word/styles.xml"} {
		b, err := part(zr, name)
		if err != nil {
			return "", err
		}
		parts[name] = b
	}
	if parts["word/document.xml"] == nil {
		return "", errors.New("filen saknar word/document.xml: den är ingen Word-fil")
	}
	d := &docx{numFmt: numFormats(parts["word/numbering.xml"]), styles: styleKinds(parts["word/styles.xml"]), counters: map[string]int{}}
	if err := d.read(parts["word/document.xml"]); err != nil {
		return "", fmt.Errorf("word/document.xml går inte att läsa: %v", err)
	}
	return d.out.String(), nil
}

// part reads one part of the zip, nil when it is absent.
func part(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s går inte att packa upp: %v", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxPart+1))
		if err != nil {
			return nil, fmt.Errorf("%s går inte att packa upp: %v", name, err)
		}
		if len(b) > maxPart {
			return nil, fmt.Errorf("%s är större än %d MiB uppackad", name, maxPart>>20)
		}
		return b, nil
	}
	return nil, nil
}

// styleKind is what a paragraph style says about its paragraphs.
type styleKind struct {
	heading int  // 1.. for a heading level, 0 for none
	bullet  bool // a bullet list style
	number  bool // a numbered list style
}

var headingName = regexp.MustCompile(`(?i)^(heading|rubrik|överskrift)\s*(\d)$`)

// styleKinds reads word/styles.xml: which style ids are headings or lists.
func styleKinds(data []byte) map[string]styleKind {
	var doc struct {
		Styles []struct {
			ID   string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main styleId,attr"`
			Name struct {
				Val string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main val,attr"`
			} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main name"`
		} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main style"`
	}
	out := map[string]styleKind{}
	if data == nil || xml.Unmarshal(data, &doc) != nil {
		return out
	}
	for _, s := range doc.Styles {
		if k, ok := styleKindOf(s.Name.Val); ok {
			out[s.ID] = k
		}
	}
	return out
}

// styleKindOf reads a style's name or id ("heading 1", "Rubrik1", "List Bullet").
func styleKindOf(name string) (styleKind, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if m := headingName.FindStringSubmatch(n); m != nil {
		lvl, _ := strconv.Atoi(m[2])
		return styleKind{heading: max(lvl, 1)}, true
	}
	switch {
	case n == "title" || n == "rubrik" || n == "titel":
		return styleKind{heading: 1}, true
	case strings.Contains(n, "list bullet") || strings.Contains(n, "listbullet") || strings.Contains(n, "punktlista"):
		return styleKind{bullet: true}, true
	case strings.Contains(n, "list number") || strings.Contains(n, "listnumber") || strings.Contains(n, "numrerad lista"):
		return styleKind{number: true}, true
	}
	return styleKind{}, false
}

// numFormats reads word/numbering.xml: "numId/ilvl" → numFmt (bullet, decimal, …).
func numFormats(data []byte) map[string]string {
	type lvl struct {
		Ilvl   string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main ilvl,attr"`
		NumFmt struct {
			Val string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main val,attr"`
		} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main numFmt"`
	}
	var doc struct {
		Abstract []struct {
			ID   string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main abstractNumId,attr"`
			Lvls []lvl  `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main lvl"`
		} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main abstractNum"`
		Nums []struct {
			ID       string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main numId,attr"`
			Abstract struct {
				Val string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main val,attr"`
			} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main abstractNumId"`
		} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main num"`
	}
	out := map[string]string{}
	if data == nil || xml.Unmarshal(data, &doc) != nil {
		return out
	}
	abs := map[string][]lvl{}
	for _, a := range doc.Abstract {
		abs[a.ID] = a.Lvls
	}
	for _, n := range doc.Nums {
		for _, l := range abs[n.Abstract.Val] {
			out[n.ID+"/"+l.Ilvl] = l.NumFmt.Val
		}
	}
	return out
}

// docx is the state of reading document.xml.
type docx struct {
	numFmt   map[string]string
	styles   map[string]styleKind
	counters map[string]int // "numId/ilvl" → the last number given
	out      strings.Builder

	// the paragraph being read
	text        strings.Builder
	style       string
	numID, ilvl string
	outline     int // w:outlineLvl + 1, 0 for none

	// tables
	depth  int      // nesting of w:tbl
	row    []string // cells of the row being read (outermost table)
	cell   []string // paragraphs of the cell being read
	skip   int      // depth inside an element whose text is left out
	inText bool     // inside a w:t
	last   string   // kind of the last block written, for blank lines
}

func (d *docx) read(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d.start(t)
		case xml.EndElement:
			d.end(t)
		case xml.CharData:
			if d.skip == 0 && d.inText {
				d.text.Write(t)
			}
		}
	}
}

// attr is the value of a w: attribute.
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && (a.Name.Space == wml || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}

func (d *docx) start(t xml.StartElement) {
	if t.Name.Space != wml {
		// mc:Fallback repeats what mc:Choice says (text boxes, shapes).
		if t.Name.Local == "Fallback" || d.skip > 0 {
			d.skip++
		}
		return
	}
	if d.skip > 0 {
		d.skip++
		return
	}
	switch t.Name.Local {
	case "p":
		d.text.Reset()
		d.style, d.numID, d.ilvl, d.outline = "", "", "0", 0
	case "pStyle":
		d.style = attr(t, "val")
	case "numId":
		d.numID = attr(t, "val")
	case "ilvl":
		d.ilvl = attr(t, "val")
	case "outlineLvl":
		if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
			d.outline = n + 1
		}
	case "t":
		d.inText = true
	case "tab", "ptab":
		d.text.WriteByte('\t')
	case "br", "cr":
		d.text.WriteByte(' ')
	case "noBreakHyphen":
		d.text.WriteByte('-')
	case "tbl":
		d.depth++
	case "tr":
		if d.depth == 1 {
			d.row = nil
		}
	case "tc":
		if d.depth == 1 {
			d.cell = nil
		}
	case "delText", "instrText", "footnoteReference":
		// not part of the visible text
	}
}

func (d *docx) end(t xml.EndElement) {
	if d.skip > 0 {
		d.skip--
		return
	}
	if t.Name.Space != wml {
		return
	}
	switch t.Name.Local {
	case "t":
		d.inText = false
	case "p":
		d.paragraph()
	case "tc":
		if d.depth == 1 {
			d.row = append(d.row, strings.Join(d.cell, " "))
		}
	case "tr":
		if d.depth == 1 {
			d.tableRow()
		}
	case "tbl":
		d.depth--
		if d.depth == 0 {
			d.last = ""
		}
	}
}

// clean makes a paragraph's text one line: tabs and runs of spaces as one
// space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// paragraph writes the paragraph just read, or adds it to a table cell.
func (d *docx) paragraph() {
	text := clean(d.text.String())
	if d.depth > 0 {
		if text != "" {
			d.cell = append(d.cell, text)
		}
		return
	}
	if text == "" {
		return
	}
	kind := d.styles[d.style]
	if kind == (styleKind{}) {
		kind, _ = styleKindOf(d.style) // a document without styles.xml
	}
	lvl, _ := strconv.Atoi(d.ilvl)
	indent := strings.Repeat("  ", min(max(lvl, 0), 8))
	switch {
	case kind.heading > 0 || (d.outline > 0 && d.numID == ""):
		h := kind.heading
		if h == 0 {
			h = d.outline
		}
		d.block("heading", strings.Repeat("#", min(h, 6))+" "+text)
	case d.numID != "" && d.numID != "0":
		key := d.numID + "/" + d.ilvl
		switch d.numFmt[key] {
		case "bullet", "none", "":
			d.block("list"+d.numID, indent+"- "+text)
		default:
			d.counters[key]++
			d.block("list"+d.numID, indent+strconv.Itoa(d.counters[key])+". "+text)
		}
	case kind.bullet:
		d.block("list", "- "+text)
	case kind.number:
		d.counters["style/"+d.style]++
		d.block("list", strconv.Itoa(d.counters["style/"+d.style])+". "+text)
	default:
		d.block("para", text)
	}
}

// tableRow writes a row of the outermost table as | a | b |.
func (d *docx) tableRow() {
	empty := true
	for i, c := range d.row {
		d.row[i] = strings.ReplaceAll(c, "|", "/")
		if c != "" {
			empty = false
		}
	}
	if !empty {
		d.block("table", "| "+strings.Join(d.row, " | ")+" |")
	}
}

// block writes one block: items of one list and rows of one table follow
// each other line by line, everything else is separated by a blank line.
func (d *docx) block(kind, line string) {
	if d.out.Len() > 0 && (kind != d.last || kind == "para" || kind == "heading") {
		d.out.WriteByte('\n')
	}
	d.out.WriteString(line)
	d.out.WriteByte('\n')
	d.last = kind
}

// Package docreadtest writes small .docx and PDF documents from the plain
// form of package docread (# headings, - bullets, 1. items, | table |
// rows, paragraphs), so that tests read the same document in every format
// without an office suite.
package docreadtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

var (
	headingRe = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	bulletRe  = regexp.MustCompile(`^\s*[•\-–]\s+(.*)$`)
	numberRe  = regexp.MustCompile(`^\s*\d{1,2}[.)]\s+(.*)$`)
	tableRe   = regexp.MustCompile(`^\s*\|(.*)\|\s*$`)
	ruleRe    = regexp.MustCompile(`^[\s|:\-]+$`)
)

// line is one line of the plain form.
type line struct {
	kind  string // h1…h6, bullet, number, row, para
	text  string
	cells []string
}

func parse(doc string) []line {
	var out []line
	for _, l := range strings.Split(doc, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case headingRe.MatchString(l):
			m := headingRe.FindStringSubmatch(l)
			out = append(out, line{kind: fmt.Sprintf("h%d", len(m[1])), text: m[2]})
		case tableRe.MatchString(l):
			if ruleRe.MatchString(l) {
				continue
			}
			var cells []string
			for _, c := range strings.Split(tableRe.FindStringSubmatch(l)[1], "|") {
				cells = append(cells, strings.TrimSpace(c))
			}
			out = append(out, line{kind: "row", cells: cells})
		case bulletRe.MatchString(l):
			out = append(out, line{kind: "bullet", text: bulletRe.FindStringSubmatch(l)[1]})
		case numberRe.MatchString(l):
			out = append(out, line{kind: "number", text: numberRe.FindStringSubmatch(l)[1]})
		default:
			out = append(out, line{kind: "para", text: l})
		}
	}
	return out
}

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`
	rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
	// Swedish Word names its heading styles Rubrik1, Rubrik2 (ids), "heading 1" (names).
	styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Rubrik2"><w:name w:val="heading 2"/></w:style><w:style w:type="paragraph" w:styleId="Liststycke"><w:name w:val="List Paragraph"/></w:style></w:styles>`
	numbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>`
)

// run writes text as Word does: in several runs, a word split between two.
func run(text string) string {
	esc := html.EscapeString
	if i := strings.Index(text, " "); i > 0 && len(text) > 12 {
		j := i + 3
		for j < len(text) && text[j]&0xC0 == 0x80 {
			j++
		}
		if j < len(text) {
			return `<w:r><w:t xml:space="preserve">` + esc(text[:j]) + `</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + esc(text[j:]) + `</w:t></w:r>`
		}
	}
	return `<w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`
}

// Docx writes a Word document: headings by style, lists by numbering,
// tables as w:tbl.
func Docx(doc string) []byte {
	var body strings.Builder
	inTable := false
	for _, l := range parse(doc) {
		if l.kind != "row" && inTable {
			body.WriteString(`</w:tbl>`)
			inTable = false
		}
		switch {
		case strings.HasPrefix(l.kind, "h"):
			fmt.Fprintf(&body, `<w:p><w:pPr><w:pStyle w:val="Rubrik%s"/></w:pPr>%s</w:p>`, l.kind[1:], run(l.text))
		case l.kind == "bullet" || l.kind == "number":
			id := "1"
			if l.kind == "number" {
				id = "2"
			}
			fmt.Fprintf(&body, `<w:p><w:pPr><w:pStyle w:val="Liststycke"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="%s"/></w:numPr></w:pPr>%s</w:p>`, id, run(l.text))
		case l.kind == "row":
			if !inTable {
				body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
				inTable = true
			}
			body.WriteString(`<w:tr>`)
			for _, c := range l.cells {
				fmt.Fprintf(&body, `<w:tc><w:p>%s</w:p></w:tc>`, run(c))
			}
			body.WriteString(`</w:tr>`)
		default:
			fmt.Fprintf(&body, `<w:p>%s</w:p>`, run(l.text))
		}
	}
	if inTable {
		body.WriteString(`</w:tbl>`)
	}
	document := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `<w:sectPr/></w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct{ name, data string }{
		{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rels},
		{"word/_rels/document.xml.rels", docRels}, {"word/document.xml", document},
		{"word/styles.xml", styles}, {"word/numbering.xml", numbering},
	} {
		w, err := zw.Create(f.name)
		if err != nil {
			panic(err) // writing to memory does not fail
		}
		_, _ = w.Write([]byte(f.data))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// PDF writes a PDF in Helvetica (WinAnsiEncoding), lines wrapped at 80
// characters as a word processor wraps them, bullets as •, list items
// with a hanging indent, blocks separated by a gap. A table row is
// written as its cells, one line each, indented by column.
func PDF(doc string) []byte {
	type textLine struct {
		x, size float64
		gap     float64
		text    string
	}
	var lines []textLine
	add := func(x, size, gap float64, text string, width int) {
		for i, l := range wrap(text, width) {
			g := 0.0
			if i == 0 {
				g = gap
			}
			lx := x
			if i > 0 && x > 50 {
				lx = x + 12
			}
			lines = append(lines, textLine{lx, size, g, l})
		}
	}
	for _, l := range parse(doc) {
		switch {
		case strings.HasPrefix(l.kind, "h"):
			add(50, 16, 18, l.text, 60)
		case l.kind == "bullet":
			add(62, 11, 6, "• "+l.text, 84)
		case l.kind == "number":
			add(62, 11, 6, "1. "+l.text, 84)
		case l.kind == "row":
			add(50, 11, 10, strings.Join(l.cells, " – "), 88)
		default:
			add(50, 11, 10, l.text, 88)
		}
	}
	var pages []string
	var content strings.Builder
	y := 800.0
	for _, l := range lines {
		y -= l.gap + l.size*1.3
		if y < 60 {
			pages = append(pages, content.String())
			content.Reset()
			y = 800 - l.size*1.3
		}
		fmt.Fprintf(&content, "BT /F1 %.0f Tf %.1f %.1f Td (%s) Tj ET\n", l.size, l.x, y, pdfString(l.text))
	}
	pages = append(pages, content.String())

	var out bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, p := range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(p), p))
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return out.Bytes()
}

// wrap breaks text into lines of at most width characters.
func wrap(text string, width int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(text) {
		if cur != "" && len([]rune(cur))+1+len([]rune(w)) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		if cur == "" {
			cur = w
		} else {
			cur += " " + w
		}
	}
	return append(out, cur)
}

// pdfString encodes text in WinAnsiEncoding with ( ) \ escaped.
func pdfString(s string) string {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		b = []byte(s)
	}
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return r.Replace(string(b))
}

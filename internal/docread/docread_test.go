package docread

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/internal/docread/docreadtest"
)

// TestDocx reads a document as Word writes it: headings by style, bullets
// and numbers by numbering.xml, tables, runs split mid-word; deleted text,
// field codes and text-box fallbacks left out.
func TestDocx(t *testing.T) {
	body := `<w:p><w:pPr><w:pStyle w:val="Rubrik1"/></w:pPr><w:r><w:t>Tra</w:t></w:r><w:r><w:t>fik</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">Polisen ska </w:t></w:r>` +
		`<w:del><w:r><w:delText>tre</w:delText></w:r></w:del><w:ins><w:r><w:t>fyra</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> gånger</w:t><w:tab/><w:t>per år.</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>Ett</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>Två</w:t></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Vad</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Vem</w:t></w:r></w:p><w:p><w:r><w:t>och när</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
		`<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:t>Ruta</w:t></mc:Choice><mc:Fallback><w:t>Ruta</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>`
	doc := `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
	numbering := `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num></w:numbering>`
	styles := `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style></w:styles>`
	got, err := Docx(zipOf(t, map[string]string{"word/document.xml": doc, "word/numbering.xml": numbering, "word/styles.xml": styles}))
	if err != nil {
		t.Fatal(err)
	}
	want := "# Trafik\n\n- Polisen ska fyra gånger per år.\n\n1. Ett\n2. Två\n\n| Vad | Vem och när |\n\nRuta\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	zw.Close()
	return buf.Bytes()
}

// TestRead reads each format, and says what is wrong with a file it
// cannot read.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	doc := "# Rubrik\n\n- Polisen ska göra något.\n"
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got, err := Read(write("a.docx", docreadtest.Docx(doc))); err != nil || got != doc {
		t.Errorf(".docx: %q %v", got, err)
	}
	if got, err := Read(write("a.md", []byte("\xef\xbb\xbf"+doc))); err != nil || got != doc {
		t.Errorf(".md with BOM: %q %v", got, err)
	}
	if got, err := Read(write("a.txt", []byte("Trafik\r\nPolisen ska g\xf6ra n\xe5got.\r\n"))); err != nil || got != "Trafik\nPolisen ska göra något.\n" {
		t.Errorf(".txt in Windows-1252: %q %v", got, err)
	}
	for _, tt := range []struct{ name, data, want string }{
		{"a.doc", "x", "det gamla Word-formatet"},
		{"a.odt", "x", "okänd filtyp"},
		{"b.docx", "inte zip", "ingen .docx"},
	} {
		if _, err := Read(write(tt.name, []byte(tt.data))); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := Read(filepath.Join(dir, "saknas.pdf")); err == nil || !strings.Contains(err.Error(), "finns inte") {
		t.Errorf("missing file: %v", err)
	}
}

// TestPDFWithoutPdftotext says what to install.
func TestPDFWithoutPdftotext(t *testing.T) {
	old := pdftotext
	pdftotext = "pdftotext-finns-inte"
	defer func() { pdftotext = old }()
	p := filepath.Join(t.TempDir(), "a.pdf")
	os.WriteFile(p, docreadtest.PDF("Text"), 0o644)
	_, err := Read(p)
	if err == nil || !strings.Contains(err.Error(), "apt-get install poppler-utils") || !strings.Contains(err.Error(), ".docx") {
		t.Errorf("error %v", err)
	}
}

// TestDropFurniture takes a PDF's running header, footer and page numbers
// off its pages, and leaves a line that repeats in the text.
func TestDropFurniture(t *testing.T) {
	pages := []string{
		"Medborgarlöfte Gislaved 2024 – Polisen och Gislaveds kommun\n\n2024-01-15\n\nMedborgarlöfte Gislaved 2024\nTrafik\n– Polisen ska genomföra kontroller\nvarje vecka.\n\nUngdomar\n\nSida 1 av 3\n\n",
		"Medborgarlöfte Gislaved 2024 – Polisen och Gislaveds kommun\n\n2024-01-15\n\n– Fältgruppen ska finnas ute.\nUngdomar\nKommunen ska:\n\nSida 2 av 3\n\n",
		"Medborgarlöfte Gislaved 2024 – Polisen och Gislaveds kommun\n\n2024-01-15\n\nKommunen ska:\nUppföljning\n\n- 3 -\n",
		"",
	}
	var in [][]byte
	for _, p := range pages {
		in = append(in, []byte(p))
	}
	var got []string
	for _, p := range dropFurniture(in) {
		got = append(got, string(p))
	}
	want := []string{
		"Medborgarlöfte Gislaved 2024\nTrafik\n– Polisen ska genomföra kontroller\nvarje vecka.\n\nUngdomar",
		"– Fältgruppen ska finnas ute.\nUngdomar\nKommunen ska:",
		"Kommunen ska:\nUppföljning",
	}
	if strings.Join(got, "\f") != strings.Join(want, "\f") {
		t.Errorf("pages\n%q\nwant\n%q", got, want)
	}
}

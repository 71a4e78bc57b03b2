// Package docread reads the text of a signed promise document: Word
// (.docx), PDF, plain text and Markdown, for `lofte draft`
// (docs/reference.md §9). Every reader gives the same plain form, close to
// Markdown, so that the drafting rules read one kind of text:
//
//	# Rubrik                  a heading (## for a subheading)
//	- punkt                   a bullet
//	1. punkt                  a numbered item
//	| cell | cell |           a table row
//	Stycke.                   a paragraph, blocks separated by a blank line
//
// A PDF's text comes from pdftotext (Debian's poppler-utils); its lines are
// as the page wraps them, and the drafting rules join them.
package docread

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// MaxSize is the largest document read, in bytes.
const MaxSize = 50 << 20

// Read reads the document at path by its extension: .docx, .pdf, .txt or .md.
func Read(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".docx", ".pdf", ".txt", ".md", ".markdown", ".text":
	case ".doc":
		return "", fmt.Errorf("%s är i det gamla Word-formatet (.doc): spara det som .docx (Arkiv → Spara som) och försök igen", path)
	default:
		return "", fmt.Errorf("%s: okänd filtyp %q; lofte draft läser .docx, .pdf, .txt och .md", path, ext)
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("filen %s finns inte", path)
		}
		return "", fmt.Errorf("kan inte läsa %s: %v", path, err)
	}
	if fi.IsDir() {
		return "", fmt.Errorf("%s är en mapp, inte ett dokument", path)
	}
	if fi.Size() > MaxSize {
		return "", fmt.Errorf("%s är större än %d MiB: är det verkligen ett medborgarlöfte?", path, MaxSize>>20)
	}
	if ext == ".pdf" {
		return PDF(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("kan inte läsa %s: %v", path, err)
	}
	if ext == ".docx" {
		s, err := Docx(data)
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		return s, nil
	}
	return Text(data), nil
}

// Text decodes a text file: UTF-8 with or without a byte order mark, else
// Windows-1252 (Notepad's and Word's plain text in Sweden).
func Text(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return normalize(string(data))
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return normalize(strings.ToValidUTF8(string(data), "\uFFFD"))
	}
	return normalize(string(s))
}

// normalize gives line ends as \n and page breaks as blank lines.
func normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\f", "\n\n")
}

var (
	// pageNumberRe is a line that is a page's number: "3", "Sida 3 av 5",
	// "- 3 -", "3 (5)", "3/5", "sid. 3".
	pageNumberRe = regexp.MustCompile(`(?i)^(?:(?:sida|sid\.?|s\.|page)\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:av|/|\(|of)\s*\d{1,3}\)?)?$`)
	digitsRe     = regexp.MustCompile(`\d+`)
)

// dropFurniture takes a PDF's running headers and footers and page
// numbers off its pages (the text of each, as pdftotext writes it): a line
// among the first or last three of a page that is a page number, or that
// stands (digits aside) in the same place among the first (or the last)
// three of half the pages or more, two at least, and ends no sentence.
// What is left of a page ends with its last line, so that a paragraph may
// go on on the next page.
func dropFurniture(pages [][]byte) [][]byte {
	const edge = 3
	type line struct {
		text string
		key  string
		zone int // 1.. its place among the first lines or among the last, 0 neither
	}
	var all [][]line
	seen := map[[2]string]int{} // zone and key → pages it stands in that zone of
	for _, p := range pages {
		var ls []line
		for _, l := range strings.Split(string(p), "\n") {
			ls = append(ls, line{text: l, key: digitsRe.ReplaceAllString(strings.Join(strings.Fields(l), " "), "#")})
		}
		var idx []int
		for i, l := range ls {
			if strings.TrimSpace(l.text) != "" {
				idx = append(idx, i)
			}
		}
		keys := map[[2]string]bool{}
		for j, i := range idx {
			switch {
			case j < edge:
				ls[i].zone = 1 + j
			case j >= len(idx)-edge:
				ls[i].zone = 1 + edge + len(idx) - 1 - j
			default:
				continue
			}
			keys[[2]string{strconv.Itoa(ls[i].zone), ls[i].key}] = true
		}
		for k := range keys {
			seen[k]++
		}
		all = append(all, ls)
	}
	// a running header stands on at least half the pages, two at least
	often := max(2, (len(all)+1)/2)
	var out [][]byte
	for _, ls := range all {
		var kept []string
		for _, l := range ls {
			t := strings.TrimSpace(l.text)
			running := seen[[2]string{strconv.Itoa(l.zone), l.key}] >= often && !strings.ContainsAny(t[max(0, len(t)-1):], ".:")
			if l.zone > 0 && (pageNumberRe.MatchString(t) || running) {
				continue
			}
			kept = append(kept, l.text)
		}
		s := strings.Trim(strings.Join(kept, "\n"), "\n")
		if strings.TrimSpace(s) != "" {
			out = append(out, []byte(s))
		}
	}
	return out
}

// pdftotext is the program PDF runs; a variable so a test can name one
// that does not exist.
var pdftotext = "pdftotext"

// PDF reads a PDF's text with pdftotext, in reading order, UTF-8.
func PDF(path string) (string, error) {
	bin, err := exec.LookPath(pdftotext)
	if err != nil {
		return "", fmt.Errorf("för att läsa PDF behövs programmet pdftotext, som inte finns här: " +
			"installera det (Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler), " +
			"eller spara dokumentet som .docx eller .txt och kör lofte draft på den filen")
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, "-enc", "UTF-8", "-eol", "unix", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("pdftotext kunde inte läsa %s: %s", path, msg)
	}
	// pdftotext ends each page with a form feed: a paragraph may go on
	// on the next page, so the page break is no paragraph break.
	raw := bytes.Join(dropFurniture(bytes.Split(out.Bytes(), []byte("\f"))), []byte("\n"))
	text := Text(raw)
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s har ingen text att läsa (en inskannad bild?): lofte draft läser inte bilder; "+
			"skriv av texten eller be om dokumentet som .docx", path)
	}
	return text, nil
}

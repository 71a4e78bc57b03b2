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
	raw := bytes.ReplaceAll(out.Bytes(), []byte("\n\n\f"), []byte("\n"))
	raw = bytes.ReplaceAll(raw, []byte("\n\f"), []byte("\n"))
	text := Text(bytes.ReplaceAll(raw, []byte("\f"), []byte("\n")))
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s har ingen text att läsa (en inskannad bild?): lofte draft läser inte bilder; "+
			"skriv av texten eller be om dokumentet som .docx", path)
	}
	return text, nil
}

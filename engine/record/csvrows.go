package record

import (
	"bytes"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/promise"
)

// CSVRows returns the cells of a CSV record file as Parse reads them (byte
// order mark, Windows-1252, a "sep=" line, the delimiter): the header's
// column names, and each row with the line it starts on; what a preview of
// an upload shows. Rows that cannot be read end the list.
func CSVRows(data []byte) (header []string, rows [][]string, lines []int) {
	c := newChecker("", formatCSV, promise.NewVocabulary(nil), nil)
	t := c.newCSVTable(bytes.TrimPrefix(data, utf8BOM), false)
	if t == nil {
		return nil, nil, nil
	}
	for {
		row, err := t.r.Read()
		if err != nil {
			return header, rows, lines
		}
		if header == nil {
			header = make([]string, len(row))
			for i, s := range row {
				header[i] = strings.TrimSpace(s)
			}
			continue
		}
		line, _ := t.r.FieldPos(0)
		rows, lines = append(rows, slices.Clone(row)), append(lines, line+t.lineOffset) // the reader reuses row
	}
}

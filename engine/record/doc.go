// Package record reads activity records (the files under data/: .yaml,
// .yml, .json, .jsonl and .csv), validates them against the activity
// vocabulary, and keeps the valid ones in a Set grouped by type and
// sorted by date.
//
// A bad record is left out and named in the diagnostics with its file,
// line and, where there is one, column; it never stops the other records
// of the file from being read. Only a file that cannot be read as a whole
// (a YAML or JSON syntax error, a CSV file without a date or type column,
// bytes that are not text) is left out entirely, with one diagnostic.
//
// Choices beyond docs/reference.md §4:
//
//   - Every format yields the same values: an empty or blank value, and a
//     YAML or JSON null, is an absent field (nil), except for bool fields,
//     where it means false. Surrounding white space is trimmed. A field
//     whose CSV column is missing, or whose key is not written, is nil.
//   - bool accepts true/false, ja/nej, sant/falskt (what Swedish Excel
//     writes), 1/0 and x/empty, in any case, also as YAML and JSON
//     strings. int accepts only whole decimal numbers ("12", not "12.0").
//     number accepts a decimal point or a decimal comma ("2,5"), never a
//     thousands separator. date is strictly YYYY-MM-DD and a real day.
//   - An enum value and a type are matched exactly, then case-insensitively,
//     and stored as the vocabulary spells them. The status of an
//     assessment also accepts the Swedish words (uppfyllt, i fas, efter,
//     ej uppfyllt, pågår, ej bedömt) and stores the English one.
//   - by is one party id or a list; a string is split on "+" in every
//     format ("polisen+kommunen"), duplicates are dropped, and with a
//     known set of parties an id is matched case-insensitively and stored
//     as declared.
//   - A list field is a YAML or JSON sequence (an empty one is an empty
//     list, not nil); a single value is a list of one. In CSV, where ","
//     and ";" are delimiters, the elements of a list are joined with "+"
//     ("a+b").
//   - Field names are matched exactly; an unknown one is an error with the
//     closest declared name as a hint. A YAML mapping or JSON object that
//     names a field twice is an error. YAML anchors, aliases and merge keys
//     (<<) work.
//   - CSV: the delimiter is ";" when the header line holds more ";" than
//     ",", else ","; an Excel "sep=;" or "sep=," first line decides instead
//     and still counts as line 1. A row whose cells are all empty is
//     skipped. A row may have fewer cells than the header (the rest are
//     empty); a non-empty cell beyond the header, or under a column with
//     an empty name, is an error. A column that the row's type does not
//     declare, once a row of that type has a value in it, is one error at
//     its header cell; the column is then read on no row of the type and
//     the rows still count. An empty cell in it is ignored, so one file
//     can hold several types.
//   - A file starting with a UTF-8 byte order mark is read without it; a
//     UTF-16 file, a NUL byte, and (except in CSV, read as Windows-1252)
//     bytes that are not UTF-8 are errors with the place of the first bad
//     byte. In JSONL only the bad line is left out.
//   - A YAML syntax error has a line but no column: the YAML library gives
//     none, and its line is that of the enclosing block (counted from 0
//     for some errors), so the line is found again as the first one at
//     which a prefix of the file fails with the same error. JSON is read
//     by a small parser of this package, which gives line and column.
//   - Records never share mutable state with the caller's input, but
//     records may share their By slices with each other: treat a Record
//     as read-only.
package record

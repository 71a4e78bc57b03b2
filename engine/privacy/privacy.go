// Package privacy finds Swedish personal identity numbers (personnummer
// and samordningsnummer) in text, so that records, which are counts of
// activities and never data about people, cannot carry them. It never
// returns or prints the number it finds.
package privacy

// ContainsIDNumber reports whether s holds a personnummer or a
// samordningsnummer: 10 or 12 digits, with or without a `-` or `+` before
// the last four, a real month, a day of the month (plus 60 for a
// samordningsnummer) and a valid Luhn check digit. The digits must stand
// on their own: a longer run of digits (an order number) is not one.
func ContainsIDNumber(s string) bool {
	_, end := find(s, 0)
	return end > 0
}

// Redact replaces every identity number in s by a mask, for messages that
// quote what a user wrote.
func Redact(s string) string {
	for from := 0; ; {
		start, end := find(s, from)
		if end == 0 {
			return s
		}
		s = s[:start] + "ÅÅMMDD-NNNN" + s[end:]
		from = start + len("ÅÅMMDD-NNNN")
	}
}

// find returns the span of the first identity number in s[from:], or
// 0, 0.
func find(s string, from int) (start, end int) {
	for i := from; i < len(s); i++ {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			continue
		}
		if n := match(s, i); n > 0 {
			return i, i + n
		}
	}
	return 0, 0
}

// match tries the forms at s[i:]: 12 or 10 digits, or 8 or 6 digits, a
// separator and 4 digits; it returns the length matched, or 0.
func match(s string, i int) int {
	run := digitsAt(s, i)
	switch {
	case run == 12 && ended(s, i+12) && valid(s[i+2:i+12], s[i:i+2]):
		return 12
	case run == 10 && ended(s, i+10) && valid(s[i:i+10], ""):
		return 10
	case (run == 8 || run == 6) && i+run+5 <= len(s) && (s[i+run] == '-' || s[i+run] == '+') &&
		digitsAt(s, i+run+1) == 4 && ended(s, i+run+5):
		date := s[i : i+run]
		century := ""
		if run == 8 {
			century, date = date[:2], date[2:]
		}
		if valid(date+s[i+run+1:i+run+5], century) {
			return run + 5
		}
	}
	return 0
}

// valid checks ten digits YYMMDDNNNC (and the century of a 12-digit form).
func valid(d, century string) bool {
	if century != "" && century != "18" && century != "19" && century != "20" {
		return false
	}
	month := num(d[2:4])
	day := num(d[4:6])
	if day > 60 {
		day -= 60 // samordningsnummer
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	return luhn(d)
}

// luhn checks the last digit of d against the others.
func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[i] - '0')
		if i%2 == 0 { // weights 2,1,2,1,… from the left for ten digits
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

func digitsAt(s string, i int) int {
	n := 0
	for i+n < len(s) && isDigit(s[i+n]) {
		n++
	}
	return n
}

func ended(s string, i int) bool { return i >= len(s) || !isDigit(s[i]) }

func num(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

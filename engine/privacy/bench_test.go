package privacy

import "testing"

// Values as records hold them: short words and dates, a free-text note,
// numbers of other shapes, and one identity number among them.
var benchValues = []string{
	"trafikkontroll", "polisen", "2022-03-14", "civil", "Storgatan",
	"Trygghetsvandring i centrum med föreningar och fastighetsägare, 14 deltagare, kl 18-20",
	"ärende 5000-12345", "0701234567", "104", "Kontakt 811218-9876 ringde",
}

func BenchmarkContainsIDNumber(b *testing.B) {
	n := 0
	for _, v := range benchValues {
		n += len(v)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, v := range benchValues {
			ContainsIDNumber(v)
		}
	}
}

func BenchmarkRedact(b *testing.B) {
	for b.Loop() {
		for _, v := range benchValues {
			Redact(v)
		}
	}
}

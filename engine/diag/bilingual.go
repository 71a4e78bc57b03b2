package diag

import "fmt"

// Bi is a text made in Swedish (Bi[0], what JSON carries: docs/reference.md
// §9) and in English (Bi[1]) at the same time, for the text outputs under
// --lang en: the sentences explain and diff build from figures and names
// are made in both languages at once, rather than translated afterwards.
type Bi [2]string

// In is the text in lang: English for "en", else Swedish. Without an
// English text the Swedish one is given.
func (b Bi) In(lang string) string {
	if lang == "en" && b[1] != "" {
		return b[1]
	}
	return b[0]
}

// Say formats sv and en with args; an argument that is a Bi is written in
// the language of the format.
func Say(sv, en string, args ...any) Bi {
	return Bi{fmt.Sprintf(sv, argsIn(args, 0)...), fmt.Sprintf(en, argsIn(args, 1)...)}
}

func argsIn(args []any, lang int) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if b, ok := a.(Bi); ok {
			a = b[lang]
			if a == "" {
				a = b[0]
			}
		}
		out[i] = a
	}
	return out
}

// Same is a text that reads the same in both languages.
func Same(s string) Bi { return Bi{s, s} }

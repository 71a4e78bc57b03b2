package rule

import (
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser/lexer"
)

// perName is one `per NAME` of a clause, with the rune span of NAME.
type perName struct {
	name     string
	from, to int
}

// perClause is a run of `per NAME` cut out of a rule. next is the rune
// offset of the token after the clause: the comparison it belongs to.
type perClause struct {
	names    []perName
	from, to int
	next     int
}

// cutPer removes every `per NAME` clause from src, replacing it with
// spaces of the same length so that the compiler's offsets still point
// into the user's text. expr has no hook for new keywords, so this is done
// on expr's own tokens: `per` inside strings or as a member (`.per`) is
// left alone.
func cutPer(src string) (string, []perClause, *file.Error) {
	toks, err := lexer.Lex(file.NewSource(src))
	if err != nil {
		if fe, ok := err.(*file.Error); ok {
			return src, nil, fe
		}
		return src, nil, &file.Error{Message: err.Error()}
	}
	out := []rune(src)
	var clauses []perClause
	for i := 0; i < len(toks); i++ {
		if !isPer(toks, i) {
			continue
		}
		cl := perClause{from: toks[i].From}
		for ; isPer(toks, i); i += 2 {
			if i+1 >= len(toks) || toks[i+1].Kind != lexer.Identifier {
				return src, nil, &file.Error{Location: toks[i].Location,
					Message: "per ska följas av ett fönster (år, halvår, tertial, kvartal, månad, vecka, dag, termin) eller ett enum-fält"}
			}
			n := toks[i+1]
			cl.names = append(cl.names, perName{name: n.Value, from: n.From, to: n.To})
			cl.to = n.To
		}
		i-- // the loop's i++ lands on the token after the clause
		if i+1 < len(toks) {
			cl.next = toks[i+1].From
		} else {
			cl.next = len(out)
		}
		for j := cl.from; j < cl.to && j < len(out); j++ {
			if out[j] != '\n' {
				out[j] = ' '
			}
		}
		clauses = append(clauses, cl)
	}
	return string(out), clauses, nil
}

// isPer reports whether toks[i] is the keyword per: an identifier `per`
// that is not a member access.
func isPer(toks []lexer.Token, i int) bool {
	if i >= len(toks) || toks[i].Kind != lexer.Identifier || toks[i].Value != "per" {
		return false
	}
	if i > 0 && toks[i-1].Kind == lexer.Operator && (toks[i-1].Value == "." || toks[i-1].Value == "?.") {
		return false
	}
	return true
}

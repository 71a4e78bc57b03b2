package record

import (
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
)

// checkRecord fails t unless r is a record Parse may return: a known
// type, one or more known parties, values of the declared Go types and
// every required field present.
func checkRecord(t testing.TB, r Record, voc *promise.Vocabulary, parties []string) {
	t.Helper()
	act := voc.Activity(r.Type)
	if act == nil {
		t.Fatalf("%s: record of unknown type %q", r.Pos, r.Type)
	}
	if len(r.By) == 0 {
		t.Fatalf("%s: record without by", r.Pos)
	}
	for _, p := range r.By {
		if p == "" || len(parties) > 0 && !contains(parties, p) {
			t.Fatalf("%s: unknown party %q", r.Pos, p)
		}
	}
	if r.Pos.File == "" || r.Pos.Line < 1 {
		t.Fatalf("record without a place: %+v", r.Pos)
	}
	if len(r.Values) != len(act.Fields) {
		t.Fatalf("%s: %d values for %d fields", r.Pos, len(r.Values), len(act.Fields))
	}
	for i, f := range act.Fields {
		if r.Values[i] == nil {
			if f.Required {
				t.Fatalf("%s: required %s is nil", r.Pos, f.Name)
			}
			continue
		}
		if !hasType(r.Values[i], &f.Type) {
			t.Fatalf("%s: %s = %#v is not a %s", r.Pos, f.Name, r.Values[i], f.Type)
		}
	}
}

func hasType(v any, t *promise.Type) bool {
	switch t.Kind {
	case promise.String:
		_, ok := v.(string)
		return ok
	case promise.Int:
		_, ok := v.(int)
		return ok
	case promise.Number:
		_, ok := v.(float64)
		return ok
	case promise.Bool:
		_, ok := v.(bool)
		return ok
	case promise.Date:
		_, ok := v.(calendar.Date)
		return ok
	case promise.Enum:
		s, ok := v.(string)
		return ok && contains(t.Enum, s)
	case promise.List:
		l, ok := v.([]any)
		if !ok {
			return false
		}
		for _, e := range l {
			if e == nil || !hasType(e, t.Elem) {
				return false
			}
		}
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

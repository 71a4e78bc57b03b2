package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// apiRecord is POST /api/records (docs/reference.md §12): one record as a
// .jsonl line; 201 with where it went, 401, 403, 422 with the problems at
// their fields, 400 for a body that is no JSON object, 409 when the file
// it would go to has changes on the server not committed. Nothing is
// written unless 201.
func (s *server) apiRecord(w http.ResponseWriter, r *http.Request) {
	who, ok := s.auth.Identify(r)
	if !ok {
		apiErrors(w, http.StatusUnauthorized, FieldError{"", "inte inloggad"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxForm))
	if err != nil {
		apiErrors(w, http.StatusRequestEntityTooLarge, FieldError{"", fmt.Sprintf("posten får vara högst %d byte", maxForm)})
		return
	}
	l := s.b.Live()
	e, errs, err := entryOfJSON(l, body)
	if err != nil {
		apiErrors(w, http.StatusBadRequest, FieldError{"", err.Error()})
		return
	}
	m := membershipOf(l.Promises, who)
	if e.Type == promise.Assessment && len(e.By) == 0 {
		e.By = assessedBy(l, m, e)
	}
	defaultBy(m, &e)
	if field, msg := refusal(l, m, e); msg != "" {
		apiErrors(w, http.StatusForbidden, FieldError{field, msg})
		return
	}
	if len(errs) > 0 {
		apiErrors(w, http.StatusUnprocessableEntity, errs...)
		return
	}
	wr, err := s.b.Record(r.Context(), who, []record.Entry{e})
	if fe, ok := invalidOf(err); ok {
		apiErrors(w, http.StatusUnprocessableEntity, fe...)
		return
	}
	if c := (*Conflict)(nil); errors.As(err, &c) {
		apiErrors(w, http.StatusConflict, FieldError{"", c.Message})
		return
	}
	if err != nil {
		apiErrors(w, http.StatusInternalServerError, FieldError{"", err.Error()})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"commit": wr.Commit, "file": wr.File, "line": wr.Line})
}

func apiErrors(w http.ResponseWriter, status int, errs ...FieldError) {
	writeJSON(w, status, map[string]any{"errors": errs})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// entryOfJSON reads one JSON object, a record as on a .jsonl line, into an
// entry. The error is for a body that is no object at all; the field
// errors for values that cannot be an entry's (an object as a value).
func entryOfJSON(l Live, body []byte) (record.Entry, []FieldError, error) {
	e := record.Entry{Date: l.Today}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return e, nil, errors.New("skicka en post som ett JSON-objekt, t.ex. {\"type\": \"hundsok\", \"by\": \"polisen\", \"plats\": \"grundskola\"}")
	}
	if _, err := dec.Token(); err != io.EOF {
		return e, nil, errors.New("skicka en post i taget: ett JSON-objekt")
	}
	var errs []FieldError
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	// The order of the JSON object: encoding/json forgets it, so declared
	// fields come in the vocabulary's order and the rest by name.
	keys = ordered(l, obj, keys)
	for _, k := range keys {
		v, ok, err := scalar(obj[k])
		if err != nil {
			errs = append(errs, FieldError{k, k + ": " + err.Error()})
			continue
		}
		switch k {
		case promise.FieldType:
			e.Type = v
		case promise.FieldDate:
			if !ok {
				continue
			}
			d, err := calendar.ParseDate(strings.TrimSpace(v))
			if err != nil {
				errs = append(errs, FieldError{k, fmt.Sprintf("date: %v", err)})
			}
			e.Date = d
		case promise.FieldBy:
			e.By = splitBy(v)
		default:
			if ok {
				e.Fields = append(e.Fields, record.EntryField{Name: k, Value: v})
			}
		}
	}
	if e.Type == "" {
		errs = append(errs, FieldError{promise.FieldType, "type saknas: vilken aktivitetstyp posten är"})
	}
	return e, errs, nil
}

// ordered sorts keys: core fields, the activity's declared fields in its
// order, then the others by name.
func ordered(l Live, obj map[string]any, keys []string) []string {
	var act *promise.Activity
	if t, ok := obj[promise.FieldType].(string); ok && l.Vocab != nil {
		act = l.Vocab.Activity(t)
	}
	rank := func(k string) int {
		switch k {
		case promise.FieldType:
			return -3
		case promise.FieldDate:
			return -2
		case promise.FieldBy:
			return -1
		}
		if act != nil {
			if i := act.FieldIndex(k); i >= 0 {
				return i
			}
		}
		return 1 << 20
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return keys
}

// scalar is a JSON value as an entry field's text: a list's elements
// joined with +. false when the value is null.
func scalar(v any) (string, bool, error) {
	switch v := v.(type) {
	case nil:
		return "", false, nil
	case string:
		return v, true, nil
	case json.Number:
		return v.String(), true, nil
	case bool:
		if v {
			return "true", true, nil
		}
		return "false", true, nil
	case []any:
		var els []string
		for _, el := range v {
			s, ok, err := scalar(el)
			if _, list := el.([]any); err != nil || list {
				return "", false, errors.New("en lista får bara innehålla text, tal eller ja/nej")
			}
			if ok {
				els = append(els, s)
			}
		}
		return strings.Join(els, "+"), len(els) > 0, nil
	}
	return "", false, errors.New("värdet ska vara text, ett tal, ja/nej eller en lista")
}

package record

import (
	"github.com/lofte/lofte/engine/promise"
)

var testParties = []string{"polisen", "kommunen"}

func typ(k promise.Kind) promise.Type { return promise.Type{Kind: k} }

func enum(values ...string) promise.Type { return promise.Type{Kind: promise.Enum, Enum: values} }

func listOf(t promise.Type) promise.Type { return promise.Type{Kind: promise.List, Elem: &t} }

// testVocab is the vocabulary of docs/reference.md §3 and a type with every kind of field.
func testVocab() *promise.Vocabulary {
	return promise.NewVocabulary([]*promise.Activity{
		{ID: "trafikkontroll", Title: "Trafikkontroll", Fields: []*promise.Field{
			{Name: "riktad_mot", Type: typ(promise.String)},
			{Name: "bilinspektor", Type: typ(promise.Bool)},
			{Name: "form", Type: enum("civil", "uniformerad")},
		}},
		{ID: "hundsok", Title: "Hundsök", Fields: []*promise.Field{
			{Name: "plats", Type: enum("grundskola", "gymnasium", "annan"), Required: true},
			{Name: "skola", Type: typ(promise.String)},
		}},
		{ID: "skadegorelse", Title: "Skadegörelse", Fields: []*promise.Field{
			{Name: "beskrivning", Type: typ(promise.String)},
			{Name: "kostnad", Type: typ(promise.Number)},
		}},
		{ID: "anmalan", Title: "Anmälan", Fields: []*promise.Field{
			{Name: "arende", Type: promise.Type{Kind: promise.String, NotPersonal: true}},
		}},
		{ID: "utbildning", Title: "Utbildning", Fields: []*promise.Field{
			{Name: "deltagare", Type: typ(promise.Int)},
			{Name: "timmar", Type: typ(promise.Number)},
			{Name: "digital", Type: typ(promise.Bool)},
			{Name: "uppfoljning", Type: typ(promise.Date)},
			{Name: "amnen", Type: listOf(typ(promise.String))},
			{Name: "nivaer", Type: listOf(enum("grund", "fordjupning"))},
		}},
	})
}

package promise

import (
	"sort"

	"github.com/lofte/lofte/engine/diag"
)

// Kind is the kind of a record field's type.
type Kind int

const (
	String Kind = iota
	Int
	Number
	Bool
	Date
	Enum
	List
)

var kindNames = [...]string{"string", "int", "number", "bool", "date", "enum", "list"}

func (k Kind) String() string { return kindNames[k] }

// Type is a record field's declared type.
type Type struct {
	Kind Kind
	Enum []string // the allowed values, for Enum
	Elem *Type    // the element type, for List
	// NotPersonal is set by `personal: false`: values that look like a
	// personnummer (a ten-digit case number, say) are accepted.
	NotPersonal bool
}

func (t Type) String() string {
	switch t.Kind {
	case Enum:
		return "enum"
	case List:
		return "list of " + t.Elem.String()
	}
	return t.Kind.String()
}

// Field is a declared field of an activity type.
type Field struct {
	Name     string
	Type     Type
	Required bool
	Pos      diag.Pos
}

// Core field names every record has.
const (
	FieldDate = "date"
	FieldType = "type"
	FieldBy   = "by"
)

// Assessment is the reserved activity type of manual assessments.
const Assessment = "assessment"

// Activity is one activity type of the vocabulary.
type Activity struct {
	ID     string
	Title  string
	Fields []*Field // declared fields, in file order (core fields excluded)
	Pos    diag.Pos
}

// Field returns the declared field name, or nil.
func (a *Activity) Field(name string) *Field {
	for _, f := range a.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// FieldIndex returns the index of the declared field name in Fields, or -1.
func (a *Activity) FieldIndex(name string) int {
	for i, f := range a.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// FieldNames lists the names a record of this type may carry, core
// fields included, for suggestions.
func (a *Activity) FieldNames() []string {
	names := []string{FieldDate, FieldType, FieldBy}
	for _, f := range a.Fields {
		names = append(names, f.Name)
	}
	return names
}

// Vocabulary is the set of activity types of a repository
// (rules/activities.yaml), the reserved type assessment included.
type Vocabulary struct {
	Activities []*Activity // sorted by ID
	byID       map[string]*Activity
}

// NewVocabulary builds a vocabulary of the given activities and the
// reserved assessment type.
func NewVocabulary(acts []*Activity) *Vocabulary {
	v := &Vocabulary{byID: make(map[string]*Activity)}
	for _, a := range append(acts, assessmentActivity()) {
		if _, dup := v.byID[a.ID]; dup {
			continue
		}
		v.byID[a.ID] = a
		v.Activities = append(v.Activities, a)
	}
	sort.Slice(v.Activities, func(i, j int) bool { return v.Activities[i].ID < v.Activities[j].ID })
	return v
}

// Activity returns the activity type id, or nil.
func (v *Vocabulary) Activity(id string) *Activity { return v.byID[id] }

// IDs lists the activity type ids, for suggestions.
func (v *Vocabulary) IDs() []string {
	ids := make([]string, len(v.Activities))
	for i, a := range v.Activities {
		ids[i] = a.ID
	}
	return ids
}

// Statuses lists the status words an assessment record may give.
var Statuses = []string{"met", "on_track", "behind", "missed", "pending", "unassessed"}

func assessmentActivity() *Activity {
	return &Activity{
		ID:    Assessment,
		Title: "Bedömning",
		Fields: []*Field{
			{Name: "commitment", Type: Type{Kind: String}, Required: true},
			{Name: "status", Type: Type{Kind: Enum, Enum: Statuses}, Required: true},
			{Name: "note", Type: Type{Kind: String}},
		},
	}
}

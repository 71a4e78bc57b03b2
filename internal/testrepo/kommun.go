package testrepo

import "fmt"

// Kommun is a municipality that signs a generated promise: its promise id
// (also the name of its folder under data/) and its name.
type Kommun struct {
	ID   string
	Name string
}

// kommuner are the municipalities of the generated promises, Mullsjö
// first; beyond them, Kommuner numbers the names.
var kommuner = []Kommun{
	{"mullsjo", "Mullsjö"}, {"habo", "Habo"}, {"jonkoping", "Jönköping"}, {"vaggeryd", "Vaggeryd"},
	{"gislaved", "Gislaved"}, {"gnosjo", "Gnosjö"}, {"varnamo", "Värnamo"}, {"vetlanda", "Vetlanda"},
	{"eksjo", "Eksjö"}, {"tranas", "Tranås"}, {"aneby", "Aneby"}, {"savsjo", "Sävsjö"},
	{"nassjo", "Nässjö"}, {"falkoping", "Falköping"}, {"tidaholm", "Tidaholm"}, {"skovde", "Skövde"},
	{"ulricehamn", "Ulricehamn"}, {"boras", "Borås"}, {"vaxjo", "Växjö"}, {"ljungby", "Ljungby"},
	{"alvesta", "Alvesta"}, {"kalmar", "Kalmar"}, {"linkoping", "Linköping"}, {"norrkoping", "Norrköping"},
	{"motala", "Motala"}, {"orebro", "Örebro"}, {"karlstad", "Karlstad"}, {"gavle", "Gävle"},
	{"umea", "Umeå"}, {"lulea", "Luleå"}, {"kiruna", "Kiruna"}, {"ostersund", "Östersund"},
}

// Kommuner returns the municipalities of n generated promises.
func Kommuner(n int) []Kommun {
	out := make([]Kommun, n)
	for i := range out {
		k := kommuner[i%len(kommuner)]
		if r := i / len(kommuner); r > 0 {
			k = Kommun{fmt.Sprintf("%s-%d", k.ID, r+1), fmt.Sprintf("%s %d", k.Name, r+1)}
		}
		out[i] = k
	}
	return out
}

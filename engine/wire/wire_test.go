package wire

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

func TestWindowShape(t *testing.T) {
	v, tg, inf := 61.0, 104.0, math.Inf(1)
	cases := []struct {
		w    eval.Window
		want string
	}{
		{eval.Window{Name: "2022", Start: calendar.NewDate(2022, 1, 1), End: calendar.NewDate(2022, 12, 31), Status: eval.Behind, Value: &v, Target: &tg, Expected: &inf},
			`{"name":"2022","start":"2022-01-01","end":"2022-12-31","status":"behind","value":61,"target":104,"expected":null}`},
		{eval.Window{Name: "2022-VT", Start: calendar.NewDate(2022, 1, 10), End: calendar.NewDate(2022, 6, 15), Group: "civil", Part: "a", Status: eval.Pending, Err: errors.New("fel")},
			`{"name":"2022-VT","start":"2022-01-10","end":"2022-06-15","group":"civil","part":"a","status":"pending","error":"fel"}`},
	}
	for _, c := range cases {
		b, err := json.Marshal(WindowOf(c.w))
		if err != nil || string(b) != c.want {
			t.Errorf("got %s %v\nwant %s", b, err, c.want)
		}
	}
	if WindowOf(cases[0].w).Finite() {
		t.Error("an infinite expected figure is not finite")
	}
}

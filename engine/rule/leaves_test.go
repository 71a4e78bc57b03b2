package rule

import "testing"

func TestLeavesInOrder(t *testing.T) {
	a, b, c := &Compare{Src: "a"}, &Expr{Src: "b"}, &Compare{Src: "c"}
	root := &And{Left: a, Right: &Or{Left: b, Right: c}}
	var got []Node
	for n := range Leaves(root) {
		got = append(got, n)
	}
	if len(got) != 3 || got[0] != a || got[1] != b || got[2] != c {
		t.Fatalf("Leaves = %v, want a, b, c", got)
	}
	n := 0
	for range Leaves(root) {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("a break stops the walk")
	}
	for range Leaves(nil) {
		t.Fatal("no leaves in an empty rule")
	}
}

package auth

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMembershipEmail(t *testing.T) {
	tests := []struct {
		name   string
		entra  bool
		claims string
		want   string // "" for none
	}{
		{"verified", false, `{"email":"Anna@Mullsjo.example","email_verified":true}`, "anna@mullsjo.example"},
		{"verified as a string", false, `{"email":"a@mullsjo.example","email_verified":"true"}`, "a@mullsjo.example"},
		{"not verified", false, `{"email":"a@mullsjo.example","email_verified":false}`, ""},
		{"verification missing", false, `{"email":"a@mullsjo.example"}`, ""},
		{"upn does not count outside Entra", false, `{"upn":"a@mullsjo.example"}`, ""},
		{"verified but not an address", false, `{"email":"Anna <a@mullsjo.example>","email_verified":true}`, ""},
		{"Entra: domain owner verified", true, `{"email":"Anna@Polisen.example","xms_edov":true,"upn":"x@polisen.example"}`, "anna@polisen.example"},
		{"Entra: edov as 1", true, `{"email":"a@polisen.example","xms_edov":1}`, "a@polisen.example"},
		{"Entra: email without edov falls back to upn", true, `{"email":"a@mullsjo.example","upn":"Bo@Polisen.example"}`, "bo@polisen.example"},
		{"Entra: email_verified is not enough", true, `{"email":"a@mullsjo.example","email_verified":true}`, ""},
		{"Entra: guest upn", true, `{"upn":"a_mullsjo.example#EXT#@polisen.onmicrosoft.com"}`, ""},
		{"Entra: preferred_username does not count", true, `{"preferred_username":"a@polisen.example"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c claims
			if err := json.Unmarshal([]byte(tt.claims), &c); err != nil {
				t.Fatal(err)
			}
			got, ok := membershipEmail(c, tt.entra)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("got %q %v, want %q", got, ok, tt.want)
			}
		})
	}
}

func TestPersonFromEntra(t *testing.T) {
	iss := &issuer{url: "https://login.microsoftonline.com/t1/v2.0", entra: true}
	c := claims{Subject: "per-app", TID: "t1", OID: "o1", UPN: "kim@polisen.example", Username: "kim@polisen.example"}
	p, ok := personFrom(iss, c)
	if want := (Person{"kim@polisen.example", "kim@polisen.example", "entra|t1|o1"}); !ok || p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}
}

func TestSafeNext(t *testing.T) {
	tests := map[string]string{
		"/poster?vecka=3#x":          "/poster?vecka=3#x",
		"/":                          "/",
		"":                           "/",
		"poster":                     "/",
		"https://evil.example/":      "/",
		"//evil.example/":            "/",
		`/\evil.example/`:            "/",
		"/%5Cevil.example":           "/%5Cevil.example", // stays a path here
		"javascript:alert(1)":        "/",
		"/a\r\nSet-Cookie: x=1":      "/",
		"/\tevil":                    "/",
		"///evil.example":            "/",
		"https:evil.example":         "/",
		"/ok/../../evil":             "/ok/../../evil",
		"\x00/":                      "/",
		"/" + strings.Repeat("a", 3): "/aaa",
	}
	for in, want := range tests {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitLabel(t *testing.T) {
	tests := []struct{ in, label, url string }{
		{"Polisen=https://login.microsoftonline.com/t/v2.0", "Polisen", "https://login.microsoftonline.com/t/v2.0"},
		{" Mullsjö kommun = https://idp.example/realms/a ", "Mullsjö kommun", "https://idp.example/realms/a"},
		{"https://idp.example/a?x=1", "", "https://idp.example/a?x=1"},
		{"https://idp.example", "", "https://idp.example"},
	}
	for _, tt := range tests {
		if l, u := splitLabel(tt.in); l != tt.label || u != tt.url {
			t.Errorf("splitLabel(%q) = %q, %q", tt.in, l, u)
		}
	}
}

package auth

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func newTestProxy(t *testing.T, logout string) *Proxy {
	t.Helper()
	trusted, err := ParsePrefixes([]string{"10.0.0.0/8", "127.0.0.1", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProxy(ProxyConfig{Header: "X-Forwarded-Email", NameHeader: "X-Forwarded-User", Trusted: trusted, LogoutURL: logout})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProxyIdentify(t *testing.T) {
	p := newTestProxy(t, "")
	tests := []struct {
		name   string
		remote string
		email  []string
		user   string
		want   Person
		wantOK bool
	}{
		{"trusted proxy", "10.1.2.3:5555", []string{"Anna.Berg@Mullsjo.example"}, "Anna Berg",
			Person{"anna.berg@mullsjo.example", "Anna Berg", "proxy|anna.berg@mullsjo.example"}, true},
		{"single trusted address", "127.0.0.1:80", []string{"a@mullsjo.example"}, "",
			Person{"a@mullsjo.example", "a@mullsjo.example", "proxy|a@mullsjo.example"}, true},
		{"IPv4-mapped IPv6 peer", "[::ffff:10.0.0.1]:443", []string{"a@mullsjo.example"}, "",
			Person{"a@mullsjo.example", "a@mullsjo.example", "proxy|a@mullsjo.example"}, true},
		{"trusted IPv6", "[fd12::1]:443", []string{"a@mullsjo.example"}, "",
			Person{"a@mullsjo.example", "a@mullsjo.example", "proxy|a@mullsjo.example"}, true},
		{"name cleaned", "10.0.0.1:1", []string{"a@mullsjo.example"}, "Anna <x@evil.example>\tBerg",
			Person{"a@mullsjo.example", "Anna x@evil.example Berg", "proxy|a@mullsjo.example"}, true},
		{"untrusted peer", "192.0.2.7:5555", []string{"anna@mullsjo.example"}, "", Person{}, false},
		{"untrusted IPv6 loopback", "[::1]:5555", []string{"anna@mullsjo.example"}, "", Person{}, false},
		{"no port", "10.0.0.1", []string{"anna@mullsjo.example"}, "", Person{}, false},
		{"no header", "10.0.0.1:1", nil, "", Person{}, false},
		{"two headers", "10.0.0.1:1", []string{"a@mullsjo.example", "b@polisen.example"}, "", Person{}, false},
		{"not an e-mail", "10.0.0.1:1", []string{"anna"}, "", Person{}, false},
		{"display name form", "10.0.0.1:1", []string{"Anna <anna@mullsjo.example>"}, "", Person{}, false},
		{"list", "10.0.0.1:1", []string{"a@mullsjo.example, b@polisen.example"}, "", Person{}, false},
		{"empty", "10.0.0.1:1", []string{""}, "", Person{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, e := range tt.email {
				r.Header.Add("X-Forwarded-Email", e)
			}
			if tt.user != "" {
				r.Header.Set("X-Forwarded-User", tt.user)
			}
			got, ok := p.Identify(r)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("got %+v %v, want %+v %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestProxyHandler(t *testing.T) {
	tests := []struct {
		name, method, target, remote, logout string
		wantCode                             int
		wantLoc                              string
	}{
		{"login returns", "GET", "/auth/login?next=/poster", "10.0.0.1:1", "", 303, "/poster"},
		{"login next off-site", "GET", "/auth/login?next=//evil.example", "10.0.0.1:1", "", 303, "/"},
		{"login untrusted", "GET", "/auth/login", "192.0.2.1:1", "", 401, ""},
		{"logout asks", "GET", "/auth/logout", "10.0.0.1:1", "", 200, ""},
		{"logout to proxy", "POST", "/auth/logout", "10.0.0.1:1", "/oauth2/sign_out", 303, "/oauth2/sign_out"},
		{"logout home", "POST", "/auth/logout", "10.0.0.1:1", "", 303, "/"},
		{"no callback", "GET", "/auth/callback", "10.0.0.1:1", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			r.RemoteAddr = tt.remote
			r.Header.Set("X-Forwarded-Email", "a@mullsjo.example")
			w := httptest.NewRecorder()
			newTestProxy(t, tt.logout).Handler().ServeHTTP(w, r)
			if w.Code != tt.wantCode || w.Header().Get("Location") != tt.wantLoc {
				t.Errorf("got %d to %q, want %d to %q", w.Code, w.Header().Get("Location"), tt.wantCode, tt.wantLoc)
			}
			if ct := w.Header().Get("Content-Type"); w.Code == 200 && !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestParsePrefixes(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"10.0.0.0/8", "10.0.0.0/8", false},
		{"10.1.2.3/8", "10.0.0.0/8", false},
		{"127.0.0.1", "127.0.0.1/32", false},
		{" ::1 ", "::1/128", false},
		{"::ffff:10.0.0.1", "10.0.0.1/32", false},
		{"fd00::/8", "fd00::/8", false},
		{"10.0.0.0/33", "", true},
		{"localhost", "", true},
		{"", "", true},
		{"fe80::1%eth0", "", true},
	}
	for _, tt := range tests {
		got, err := ParsePrefixes([]string{tt.in})
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got[0] != netip.MustParsePrefix(tt.want) {
			t.Errorf("%q: got %v, want %s", tt.in, got[0], tt.want)
		}
	}
}

func TestNewProxyRefuses(t *testing.T) {
	trusted, _ := ParsePrefixes([]string{"127.0.0.1"})
	for name, cfg := range map[string]ProxyConfig{
		"no header":        {Trusted: trusted},
		"no trusted proxy": {Header: "X-Forwarded-Email"},
		"zero prefix":      {Header: "X-Forwarded-Email", Trusted: []netip.Prefix{{}}},
		"logout elsewhere": {Header: "X-Forwarded-Email", Trusted: trusted, LogoutURL: "javascript:alert(1)"},
	} {
		if _, err := NewProxy(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

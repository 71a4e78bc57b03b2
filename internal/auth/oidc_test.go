package auth

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/lofte/lofte/internal/oidctest"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"
)

const (
	testClientID = "lofte"
	testSecret   = "inte-hemligt"
)

// startIssuer runs a real OpenID Connect provider on 127.0.0.1.
func startIssuer(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m := oidctest.Start(t)
	m.ClientID, m.ClientSecret = testClientID, testSecret
	return m
}

// clock is a clock that tests can move forward.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// site is lofte's sign-in mounted on a test server, with / answering who
// is signed in: "e-mail|name|key", or 401.
type site struct {
	o     *OIDC
	srv   *httptest.Server
	clock *clock
}

func newSite(t *testing.T, key []byte, issuers ...string) *site {
	t.Helper()
	s := &site{clock: &clock{}}
	var h http.Handler
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(s.srv.Close)
	o, err := NewOIDC(t.Context(), OIDCConfig{
		Issuers: issuers, ClientID: testClientID, ClientSecret: testSecret,
		BaseURL: s.srv.URL, SessionKey: key, Now: s.clock.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.o = o
	mux := http.NewServeMux()
	mux.Handle("/auth/", o.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p, ok := o.Identify(r)
		if !ok {
			http.Error(w, "inte inloggad", http.StatusUnauthorized)
			return
		}
		io.WriteString(w, p.Email+"|"+p.Name+"|"+p.Key)
	})
	h = mux
	return s
}

// browser is an HTTP client with cookies that follows redirects.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// get fetches u and returns the final response's status, body and URL.
func get(t *testing.T, c *http.Client, u string) (int, string, *url.URL) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Request.URL
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestOIDCSignIn(t *testing.T) {
	idp := startIssuer(t)
	s := newSite(t, testKey, idp.Issuer())
	tests := []struct {
		name     string
		user     *mockoidc.MockUser
		next     string
		wantCode int
		wantBody string // substring
		wantPath string
	}{
		{"verified e-mail", user("1", "Anna.Berg@Mullsjo.example", true), "/aktiviteter?vecka=12",
			200, "anna.berg@mullsjo.example|anna|" + idp.Issuer() + "|1", "/aktiviteter"},
		{"e-mail not verified", user("2", "bo@mullsjo.example", false), "/",
			403, "ingen bekräftad e-postadress", "/auth/callback"},
		{"no e-mail", user("3", "", true), "/",
			403, "ingen bekräftad e-postadress", "/auth/callback"},
		{"absolute next", user("4", "a@mullsjo.example", true), "https://evil.example/x", 200, "a@mullsjo.example", "/"},
		{"scheme-relative next", user("5", "a@mullsjo.example", true), "//evil.example/x", 200, "a@mullsjo.example", "/"},
		{"backslash next", user("6", "a@mullsjo.example", true), `/\evil.example/x`, 200, "a@mullsjo.example", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idp.QueueUser(tt.user)
			c := browser(t)
			code, body, at := get(t, c, s.srv.URL+"/auth/login?next="+url.QueryEscape(tt.next))
			if code != tt.wantCode || !strings.Contains(body, tt.wantBody) {
				t.Fatalf("got %d %q, want %d with %q", code, body, tt.wantCode, tt.wantBody)
			}
			if at.Host != s.srv.Listener.Addr().String() || at.Path != tt.wantPath {
				t.Errorf("ended at %s, want path %s on this server", at, tt.wantPath)
			}
			if tt.wantCode != 200 {
				if code, _, _ := get(t, c, s.srv.URL+"/"); code != http.StatusUnauthorized {
					t.Errorf("signed in after a refused sign-in: %d", code)
				}
			}
		})
	}
}

func user(sub, email string, verified bool) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: sub, Email: email, EmailVerified: verified, PreferredUsername: "anna"}
}

func TestOIDCChooserTwoTenants(t *testing.T) {
	police, town := startIssuer(t), startIssuer(t)
	s := newSite(t, testKey, "Polisen="+police.Issuer(), "Mullsjö kommun="+town.Issuer())
	c := browser(t)
	code, body, _ := get(t, c, s.srv.URL+"/auth/login?next=/poster")
	for _, want := range []string{`lang="sv"`, `name="viewport"`, "Logga in som:", "Polisen", "Mullsjö kommun"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("chooser %d lacks %q:\n%s", code, want, body)
		}
	}
	town.QueueUser(user("77", "kim@mullsjo.example", true))
	police.QueueUser(user("77", "kim@polisen.example", true)) // not used: Kim chose the municipality
	code, body, at := get(t, c, s.srv.URL+"/auth/login?issuer=1&next=/poster")
	want := "kim@mullsjo.example|anna|" + town.Issuer() + "|77"
	if code != 200 || body != want || at.Path != "/poster" {
		t.Fatalf("got %d %q at %s, want %q at /poster", code, body, at, want)
	}
	if code, body, _ := get(t, c, s.srv.URL+"/auth/login?issuer=2"); code != http.StatusBadRequest || !strings.Contains(body, "finns inte") {
		t.Errorf("unknown issuer: %d %q", code, body)
	}
}

// noFollow is a browser that stops at the first redirect.
func noFollow(t *testing.T) *http.Client {
	c := browser(t)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// location fetches u and returns where it redirects.
func location(t *testing.T, c *http.Client, u string) *url.URL {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("%s: no redirect (%d)", u, resp.StatusCode)
	}
	return loc
}

func TestOIDCCallbackRefused(t *testing.T) {
	idp := startIssuer(t)
	s := newSite(t, testKey, idp.Issuer())
	tests := []struct {
		name  string
		alter func(authorize *url.URL, c *http.Client)
	}{
		{"state altered at the issuer", func(u *url.URL, _ *http.Client) {
			q := u.Query()
			q.Set("state", "ANDRA")
			u.RawQuery = q.Encode()
		}},
		{"flow cookie missing", func(_ *url.URL, c *http.Client) {
			c.Jar, _ = cookiejar.New(nil)
		}},
		{"flow cookie expired", func(*url.URL, *http.Client) { s.clock.advance(flowTTL + time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.clock.offset.Store(0)
			c := noFollow(t)
			authorize := location(t, c, s.srv.URL+"/auth/login")
			tt.alter(authorize, c)
			c.CheckRedirect = nil
			code, body, _ := get(t, c, authorize.String())
			if code != http.StatusBadRequest || !strings.Contains(body, "Börja om") {
				t.Fatalf("got %d %q, want 400 and a Swedish explanation", code, body)
			}
			s.clock.offset.Store(0)
			if code, _, _ := get(t, c, s.srv.URL+"/"); code != http.StatusUnauthorized {
				t.Errorf("signed in: %d", code)
			}
		})
	}
}

// signIn signs a new browser in and returns its session cookie's value.
func signIn(t *testing.T, s *site, idp *mockoidc.MockOIDC, issuerIndex, email string) string {
	t.Helper()
	idp.QueueUser(user("s-"+email, email, true))
	c := browser(t)
	code, body, _ := get(t, c, s.srv.URL+"/auth/login?issuer="+issuerIndex)
	if code != 200 {
		t.Fatalf("sign-in: %d %q", code, body)
	}
	u, _ := url.Parse(s.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// whoIs asks the site who is signed in with a session cookie value.
func whoIs(t *testing.T, s *site, value string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.srv.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: value})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestOIDCSessionCookie(t *testing.T) {
	idp := startIssuer(t)
	s := newSite(t, testKey, idp.Issuer())
	good := signIn(t, s, idp, "0", "eva@mullsjo.example")
	payload, sig, _ := strings.Cut(good, ".")
	body, _ := base64.RawURLEncoding.DecodeString(payload)
	forged := base64.RawURLEncoding.EncodeToString([]byte(strings.ReplaceAll(string(body), "mullsjo", "polisen")))
	tests := []struct {
		name    string
		value   string
		advance time.Duration
		want    int
	}{
		{"valid", good, 0, 200},
		{"valid near the end", good, defaultTTL - time.Minute, 200},
		{"expired", good, defaultTTL + time.Second, 401},
		{"payload changed", forged + "." + sig, 0, 401},
		{"signature changed", payload + "." + strings.Repeat("A", len(sig)), 0, 401},
		{"no signature", payload, 0, 401},
		{"garbage", "%%%", 0, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.clock.offset.Store(int64(tt.advance))
			defer s.clock.offset.Store(0)
			if code, body := whoIs(t, s, tt.value); code != tt.want {
				t.Errorf("got %d %q, want %d", code, body, tt.want)
			}
		})
	}
}

func TestOIDCSessionOfAnotherPurposeOrKey(t *testing.T) {
	idp := startIssuer(t)
	s := newSite(t, testKey, idp.Issuer())
	// A flow cookie is sealed with the same key, for another purpose.
	c := noFollow(t)
	location(t, c, s.srv.URL+"/auth/login")
	u, _ := url.Parse(s.srv.URL)
	var flowValue string
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == flowCookie {
			flowValue = ck.Value
		}
	}
	if code, _ := whoIs(t, s, flowValue); flowValue == "" || code != 401 {
		t.Errorf("a flow cookie (%q) taken as a session: %d", flowValue, code)
	}
	// A session from a server with another key.
	other := newSite(t, []byte("another key, another key, another"), idp.Issuer())
	value := signIn(t, other, idp, "0", "eva@mullsjo.example")
	if code, _ := whoIs(t, s, value); code != 401 {
		t.Errorf("a session signed with another key accepted: %d", code)
	}
}

func TestOIDCIssuerNotConfigured(t *testing.T) {
	police, town := startIssuer(t), startIssuer(t)
	both := newSite(t, testKey, police.Issuer(), town.Issuer())
	fromTown := signIn(t, both, town, "1", "kim@mullsjo.example")
	fromPolice := signIn(t, both, police, "0", "kim@polisen.example")
	onlyPolice := newSite(t, testKey, police.Issuer())
	if code, _ := whoIs(t, onlyPolice, fromPolice); code != 200 {
		t.Errorf("session from the configured issuer refused: %d", code)
	}
	if code, body := whoIs(t, onlyPolice, fromTown); code != 401 {
		t.Errorf("session from an issuer no longer configured accepted: %d %q", code, body)
	}
	// An ID token the municipality issued, given as the police's.
	raw := idToken(t, town, "n1")
	ctx := context.Background()
	if _, err := onlyPolice.o.verify(ctx, onlyPolice.o.issuers[0], raw, "n1"); err == nil {
		t.Error("the police's verifier accepted the municipality's ID token")
	}
	if _, err := both.o.verify(ctx, both.o.issuers[1], raw, "n1"); err != nil {
		t.Errorf("the municipality's verifier refused its own ID token: %v", err)
	}
	if _, err := both.o.verify(ctx, both.o.issuers[1], raw, "n2"); err == nil {
		t.Error("an ID token with another nonce accepted")
	}
}

// idToken signs in at m directly and returns the raw ID token.
func idToken(t *testing.T, m *mockoidc.MockOIDC, nonce string) string {
	t.Helper()
	cfg := oauth2.Config{
		ClientID: testClientID, ClientSecret: testSecret, RedirectURL: "http://127.0.0.1/cb",
		Endpoint: oauth2.Endpoint{AuthURL: m.AuthorizationEndpoint(), TokenURL: m.TokenEndpoint(), AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{oidc.ScopeOpenID, "email"},
	}
	m.QueueUser(user("t1", "kim@mullsjo.example", true))
	cb := location(t, noFollow(t), cfg.AuthCodeURL("st", oidc.Nonce(nonce)))
	tok, err := cfg.Exchange(t.Context(), cb.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	return raw
}

func TestOIDCLogout(t *testing.T) {
	idp := startIssuer(t)
	s := newSite(t, testKey, idp.Issuer())
	idp.QueueUser(user("9", "ola@mullsjo.example", true))
	c := browser(t)
	if code, _, _ := get(t, c, s.srv.URL+"/auth/login"); code != 200 {
		t.Fatalf("sign-in: %d", code)
	}
	code, body, _ := get(t, c, s.srv.URL+"/auth/logout")
	if code != 200 || !strings.Contains(body, `method="post"`) {
		t.Fatalf("GET /auth/logout: %d %q", code, body)
	}
	if code, _, _ := get(t, c, s.srv.URL+"/"); code != 200 {
		t.Fatalf("GET /auth/logout signed out: %d", code)
	}
	resp, err := c.Post(s.srv.URL+"/auth/logout", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Request.URL.Path != "/" {
		t.Errorf("after logout: %d at %s, want 401 at /", resp.StatusCode, resp.Request.URL)
	}
}

func TestNewOIDCRefuses(t *testing.T) {
	idp := startIssuer(t)
	good := OIDCConfig{Issuers: []string{idp.Issuer()}, ClientID: testClientID, BaseURL: "https://lofte.example"}
	tests := []struct {
		name   string
		change func(*OIDCConfig)
		want   string
	}{
		{"no issuer", func(c *OIDCConfig) { c.Issuers = nil }, "utfärdare"},
		{"no client id", func(c *OIDCConfig) { c.ClientID = "" }, "klient-id"},
		{"base URL not absolute", func(c *OIDCConfig) { c.BaseURL = "lofte.example" }, "publika adressen"},
		{"short key", func(c *OIDCConfig) { c.SessionKey = []byte("kort") }, "minst 32"},
		{"Entra common", func(c *OIDCConfig) { c.Issuers = []string{"https://login.microsoftonline.com/common/v2.0"} }, "tenant-GUID"},
		{"not a URL", func(c *OIDCConfig) { c.Issuers = []string{"Polisen=idp"} }, "ingen http(s)-adress"},
		{"issuer with trailing slash", func(c *OIDCConfig) { c.Issuers = []string{idp.Issuer() + "/"} }, "kan inte läsa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			_, err := NewOIDC(t.Context(), cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
	o, err := NewOIDC(t.Context(), good)
	if err != nil {
		t.Fatal(err)
	}
	if o.ttl != defaultTTL || !o.secure || o.issuers[0].label != strings.TrimPrefix(idp.Issuer(), "http://") {
		t.Errorf("defaults: ttl %v, secure %v, label %q", o.ttl, o.secure, o.issuers[0].label)
	}
}

func TestOIDCCookieAttributes(t *testing.T) {
	idp := startIssuer(t)
	s := newSite(t, testKey, idp.Issuer())
	c := noFollow(t)
	resp, err := c.Get(s.srv.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	checkCookie(t, resp, flowCookie, int(flowTTL/time.Second))
	authorize, _ := resp.Location()
	callback := location(t, c, authorize.String())
	resp, err = c.Get(callback.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	checkCookie(t, resp, sessionCookie, int(defaultTTL/time.Second))
	checkCookie(t, resp, flowCookie, -1)
	if sc := cookie("x", "v", time.Hour, true); !sc.Secure {
		t.Error("cookie for an https site is not Secure")
	}
}

func checkCookie(t *testing.T, resp *http.Response, name string, maxAge int) {
	t.Helper()
	for _, ck := range resp.Cookies() {
		if ck.Name == name {
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != maxAge || ck.Secure {
				t.Errorf("%s: %s", name, ck)
			}
			return
		}
	}
	t.Errorf("no %s cookie set", name)
}

package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// ProxyConfig configures sign-in by an authenticating reverse proxy, such
// as oauth2-proxy, that puts the signed-in person's e-mail address in a
// request header (docs/reference.md §12).
type ProxyConfig struct {
	// Header carries the e-mail address, e.g. X-Forwarded-Email.
	Header string
	// NameHeader, if set, carries the display name.
	NameHeader string
	// Trusted are the addresses of the proxy. The headers are honoured
	// only on requests whose TCP peer is in one of them.
	Trusted []netip.Prefix
	// LogoutURL, if set, is where /auth/logout sends the browser, e.g.
	// oauth2-proxy's /oauth2/sign_out; otherwise it sends it to /.
	LogoutURL string
}

// Proxy signs people in from the headers of a trusted proxy.
type Proxy struct {
	cfg ProxyConfig
}

var _ Method = (*Proxy)(nil)

// NewProxy checks cfg and returns the proxy sign-in method.
func NewProxy(cfg ProxyConfig) (*Proxy, error) {
	if strings.TrimSpace(cfg.Header) == "" {
		return nil, errors.New("inloggning via proxy: ange vilken header som bär e-postadressen")
	}
	if len(cfg.Trusted) == 0 {
		return nil, errors.New("inloggning via proxy: ange proxyns adress (--trusted-proxy); utan den litar lofte inte på någon header")
	}
	for i, p := range cfg.Trusted {
		if !p.IsValid() {
			return nil, fmt.Errorf("inloggning via proxy: ogiltigt adressintervall nummer %d", i+1)
		}
	}
	if cfg.LogoutURL != "" && !validLogoutURL(cfg.LogoutURL) {
		return nil, fmt.Errorf("inloggning via proxy: utloggningsadressen %q är varken en lokal sökväg eller en http(s)-adress", cfg.LogoutURL)
	}
	return &Proxy{cfg: cfg}, nil
}

// ParsePrefixes parses address ranges in CIDR form ("10.0.0.0/8") or plain
// addresses ("127.0.0.1", "::1"), which stand for themselves alone.
func ParsePrefixes(ss []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("%q är inget adressintervall (t.ex. 10.0.0.0/8)", s)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q är ingen IP-adress", s)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Identify returns the person named by the proxy's headers, only when the
// request came straight from a trusted proxy and the e-mail is valid.
func (p *Proxy) Identify(r *http.Request) (Person, bool) {
	if !p.trusted(r.RemoteAddr) {
		return Person{}, false
	}
	email, ok := oneHeader(r, p.cfg.Header)
	if !ok {
		return Person{}, false
	}
	email, ok = normalEmail(email)
	if !ok {
		return Person{}, false
	}
	name := ""
	if p.cfg.NameHeader != "" {
		name, _ = oneHeader(r, p.cfg.NameHeader)
	}
	return Person{Email: email, Name: cleanName(name, email), Key: "proxy|" + email}, true
}

// trusted tells whether the TCP peer is one of the proxy's addresses.
func (p *Proxy) trusted(remoteAddr string) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap().WithZone("")
	for _, pre := range p.cfg.Trusted {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// oneHeader returns the header's value when it is sent exactly once: two
// values would leave it open which one the proxy meant.
func oneHeader(r *http.Request, name string) (string, bool) {
	vs := r.Header.Values(name)
	if len(vs) != 1 {
		return "", false
	}
	return vs[0], true
}

// Handler serves /auth/login (the proxy has signed the person in already,
// so it returns them to where they came from), /auth/logout (to the
// proxy's sign-out) and no callback.
func (p *Proxy) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/login", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := p.Identify(r); !ok {
			page(w, http.StatusUnauthorized, pageProxyNotSignedIn, nil)
			return
		}
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /auth/logout", confirmLogout)
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) {
		to := "/"
		if p.cfg.LogoutURL != "" {
			to = p.cfg.LogoutURL
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	})
	return mux
}

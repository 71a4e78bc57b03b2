package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Cookie names and lifetimes.
const (
	sessionCookie = "lofte_session"
	flowCookie    = "lofte_signin"
	flowTTL       = 10 * time.Minute
	defaultTTL    = 12 * time.Hour
	minKeyLen     = 32
)

// OIDCConfig configures sign-in with OpenID Connect (docs/reference.md §12).
type OIDCConfig struct {
	// Issuers are the issuer URLs, one per organisation or tenant, e.g.
	// https://login.microsoftonline.com/{tenant-GUID}/v2.0. An entry
	// "Label=URL" names the issuer on the sign-in page ("Polisen=https://…");
	// without a label the page shows the issuer's host and tenant.
	Issuers []string
	// ClientID and ClientSecret are the client's registration, the same at
	// every issuer (a multi-tenant application).
	ClientID     string
	ClientSecret string
	// BaseURL is the server's public URL; the redirect URL is
	// BaseURL+"/auth/callback". Cookies are Secure when it is https.
	BaseURL string
	// SessionKey signs the session cookies, at least 32 bytes. Nil: a random
	// key, and everyone is signed out when the server restarts.
	SessionKey []byte
	// SessionTTL is how long a sign-in lasts; 12 hours when zero.
	SessionTTL time.Duration
	// HTTPClient, if set, talks to the issuers.
	HTTPClient *http.Client
	// Now, if set, is the clock (for tests).
	Now func() time.Time
}

// OIDC signs people in with OpenID Connect: the authorization code flow
// with PKCE, then a signed session cookie.
type OIDC struct {
	issuers []*issuer
	sign    signer
	ttl     time.Duration
	secure  bool
	client  *http.Client
}

// An issuer is one configured organisation's identity provider.
type issuer struct {
	label    string
	url      string
	entra    bool
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

var _ Method = (*OIDC)(nil)

// NewOIDC checks cfg and fetches every issuer's discovery document; it
// fails when an issuer cannot be reached.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	base, err := checkOIDC(&cfg)
	if err != nil {
		return nil, err
	}
	o := &OIDC{
		sign:   signer{key: cfg.SessionKey, now: cfg.Now},
		ttl:    cfg.SessionTTL,
		secure: base.Scheme == "https",
		client: cfg.HTTPClient,
	}
	for _, entry := range cfg.Issuers {
		iss, err := o.newIssuer(ctx, cfg, entry)
		if err != nil {
			return nil, err
		}
		o.issuers = append(o.issuers, iss)
	}
	return o, nil
}

// checkOIDC validates cfg, fills in defaults and returns the base URL.
func checkOIDC(cfg *OIDCConfig) (*url.URL, error) {
	if len(cfg.Issuers) == 0 {
		return nil, errors.New("OpenID Connect: ange minst en utfärdare (--oidc-issuer)")
	}
	if cfg.ClientID == "" {
		return nil, errors.New("OpenID Connect: ange klient-id (--oidc-client-id)")
	}
	base, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("OpenID Connect: den publika adressen %q ska vara en http(s)-adress, t.ex. https://lofte.example.se", cfg.BaseURL)
	}
	cfg.BaseURL = base.String()
	if cfg.SessionKey == nil {
		cfg.SessionKey = make([]byte, minKeyLen)
		rand.Read(cfg.SessionKey)
	} else if len(cfg.SessionKey) < minKeyLen {
		return nil, fmt.Errorf("OpenID Connect: sessionsnyckeln är %d byte, den ska vara minst %d", len(cfg.SessionKey), minKeyLen)
	} else {
		cfg.SessionKey = bytes.Clone(cfg.SessionKey)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = defaultTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return base, nil
}

// newIssuer parses a "[Label=]URL" entry and fetches its discovery document.
func (o *OIDC) newIssuer(ctx context.Context, cfg OIDCConfig, entry string) (*issuer, error) {
	label, raw := splitLabel(entry)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("OpenID Connect: utfärdaren %q är ingen http(s)-adress", raw)
	}
	entra := isEntra(u)
	if entra && !entraTenant(u) {
		return nil, fmt.Errorf("OpenID Connect: %q: ange organisationens klient-id (tenant-GUID) i adressen, inte common, organizations eller consumers", raw)
	}
	if label == "" {
		label = strings.TrimSuffix(u.Host+u.Path, "/")
	}
	p, err := oidc.NewProvider(o.context(ctx), raw)
	if err != nil {
		return nil, fmt.Errorf("OpenID Connect: kan inte läsa utfärdaren %q: %w", raw, err)
	}
	endpoint := p.Endpoint()
	endpoint.AuthStyle = authStyle(p)
	return &issuer{
		label: label, url: raw, entra: entra,
		oauth: &oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			Endpoint:    endpoint,
			RedirectURL: cfg.BaseURL + "/auth/callback",
			Scopes:      []string{oidc.ScopeOpenID, "email", "profile"},
		},
		verifier: p.VerifierContext(o.context(ctx), &oidc.Config{ClientID: cfg.ClientID, Now: cfg.Now}),
	}, nil
}

// authStyle picks how the client secret is sent from the methods the
// issuer lists. Left unset, x/oauth2 tries a Basic header and then form
// fields, two token requests for one sign-in when the first fails.
// Without a list the standard's default, client_secret_basic, holds.
func authStyle(p *oidc.Provider) oauth2.AuthStyle {
	var d struct {
		Methods []string `json:"token_endpoint_auth_methods_supported"`
	}
	if p.Claims(&d) == nil && slices.Contains(d.Methods, "client_secret_post") {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleInHeader
}

// splitLabel splits "Label=URL"; an "=" after "://" belongs to the URL.
func splitLabel(entry string) (label, raw string) {
	entry = strings.TrimSpace(entry)
	eq, scheme := strings.Index(entry, "="), strings.Index(entry, "://")
	if eq < 0 || (scheme >= 0 && eq > scheme) {
		return "", entry
	}
	return strings.TrimSpace(entry[:eq]), strings.TrimSpace(entry[eq+1:])
}

// entraTenant tells whether an Entra ID issuer names one tenant: /common,
// /organizations and /consumers are not issuers (a token's iss names the
// person's own tenant).
func entraTenant(u *url.URL) bool {
	t, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	switch strings.ToLower(t) {
	case "", "common", "organizations", "consumers":
		return false
	}
	return true
}

// context carries the configured HTTP client to go-oidc and x/oauth2.
func (o *OIDC) context(ctx context.Context) context.Context {
	if o.client == nil {
		return ctx
	}
	return oidc.ClientContext(ctx, o.client)
}

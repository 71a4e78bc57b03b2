package main

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/internal/auth"
	"github.com/lofte/lofte/internal/serve"
)

type serveCmd struct {
	g          *globals
	addr       string
	period     string
	asOf       string
	promises   []string
	allowHosts []string

	authMode   string
	authHeader string
	nameHeader string
	trusted    []string
	logoutURL  string
	issuers    []string
	clientID   string
	baseURL    string
	sessionTTL time.Duration
	push       bool
	fetchEvery time.Duration

	listening func(net.Addr) // tests: called once the server listens
}

func newServe(g *globals) *cobra.Command {
	s := &serveCmd{g: g}
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--period P] [--as-of D] [--promise ID] [--auth none|proxy|oidc] [--push]",
		Short: "Visa uppföljningen som en webbsida, och låt parterna registrera och bedöma inloggade",
		Long: `serve startar en webbserver som läser förrådet på nytt (högst en gång på ` + serve.CacheFor.String() + `) och visar

  /             webbsidan, som laddar om sig själv när statusen ändras
  /api/status   JSON som evaluate --format json
  /metrics      mätvärden för Prometheus
  /healthz      ok när löftena kan utvärderas, annars 503 och varför

Med --auth loggar parterna in och registrerar aktiviteter, bedömer åtaganden,
laddar upp en CSV-fil från Excel och följer sina åtaganden:

  /registrera   ett formulär för varje aktivitetstyp, och bedömningar
  /mina         Mina åtaganden: status, vad som återstår, mina senaste poster
  /ladda-upp    en CSV-fil från Excel, förhandsgranskad rad för rad
  /api/records  POST av en post som JSON, för andra system

Varje post blir en commit med den inloggade som författare. Med --push skickas
varje commit till grenens upstream, och servern hämtar det som andra har
skickat dit (var --fetch-every). Till en upstream över https loggar servern in
med en token i LOFTE_GIT_TOKEN (och LOFTE_GIT_USER), över SSH med nyckeln i
filen LOFTE_GIT_SSH_KEY eller med SSH-agenten.

--auth proxy tar den inloggades e-postadress från rubriken --auth-header, men
bara från adresser i --trusted-proxy (en proxy som oauth2-proxy framför
servern). --auth oidc loggar in med OpenID Connect (Microsoft Entra ID):
--oidc-issuer en gång per organisation, --oidc-client-id, --base-url (serverns
adress som användarna ser den), hemligheten i miljövariabeln
LOFTE_OIDC_CLIENT_SECRET och, för att inloggningar ska överleva en omstart,
en nyckel på minst 32 byte (hex eller base64) i LOFTE_SESSION_KEY.

Servern lyssnar bara på den här datorn (127.0.0.1) om inte --addr säger något
annat, svarar bara på namnen localhost och 127.0.0.1 om inte --allow-host
säger något annat, och avslutas med Ctrl-C (eller SIGTERM).`,
		Example: `  lofte serve
  lofte serve --period 2022 --addr 127.0.0.1:9090
  lofte serve --auth proxy --trusted-proxy 127.0.0.1 --allow-host uppfoljning.mullsjo.se --push
  lofte serve --auth oidc --base-url https://uppfoljning.mullsjo.se \
    --oidc-issuer Polisen=https://login.microsoftonline.com/<polisens-tenant>/v2.0 \
    --oidc-issuer "Mullsjö kommun=https://login.microsoftonline.com/<kommunens-tenant>/v2.0" \
    --oidc-client-id <app-id> --allow-host uppfoljning.mullsjo.se --push`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return s.run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&s.addr, "addr", "127.0.0.1:8080", "adress och port att lyssna på")
	f.StringVar(&s.period, "period", "", "år eller intervall av år (standard: året för dagens datum)")
	f.StringVar(&s.asOf, "as-of", "", "ett fast utvärderingsdatum (standard: dagens datum vid varje fråga)")
	addPromiseFlag(cmd, &s.promises)
	f.StringArrayVar(&s.allowHosts, "allow-host", nil, "ett värdnamn som sidan får nås med utöver localhost, t.ex. uppfoljning.mullsjo.se (kan upprepas)")
	f.StringVar(&s.authMode, "auth", "none", "inloggning: none (bara läsa), proxy (en rubrik från en betrodd proxy) eller oidc (OpenID Connect)")
	f.StringVar(&s.authHeader, "auth-header", "X-Forwarded-Email", "med --auth proxy: rubriken med den inloggades e-postadress")
	f.StringVar(&s.nameHeader, "auth-name-header", "", "med --auth proxy: rubriken med den inloggades namn")
	f.StringArrayVar(&s.trusted, "trusted-proxy", nil, "med --auth proxy: en adress eller ett nät (CIDR) som proxyn kommer från (kan upprepas)")
	f.StringVar(&s.logoutURL, "auth-logout-url", "", "med --auth proxy: dit utloggningen skickar, t.ex. /oauth2/sign_out")
	f.StringArrayVar(&s.issuers, "oidc-issuer", nil, "med --auth oidc: utfärdarens adress, eller Namn=adress (en gång per organisation)")
	f.StringVar(&s.clientID, "oidc-client-id", "", "med --auth oidc: appens klient-id")
	f.StringVar(&s.baseURL, "base-url", "", "med --auth oidc: serverns adress som användarna ser den, t.ex. https://uppfoljning.mullsjo.se")
	f.DurationVar(&s.sessionTTL, "session-ttl", 12*time.Hour, "med --auth oidc: hur länge en inloggning gäller")
	f.BoolVar(&s.push, "push", false, "skicka varje commit till grenens upstream och hämta det som andra skickat dit")
	f.DurationVar(&s.fetchEvery, "fetch-every", serve.DefaultFetchEvery, "med --push: hur ofta upstream hämtas")
	mustComplete(cmd, "auth", []string{"none", "proxy", "oidc"})
	return cmd
}

func (s *serveCmd) run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	method, err := s.auth(ctx)
	if err != nil {
		return err
	}
	srv, err := serve.New(serve.Config{
		Open: func() (*engine.Engine, error) {
			e, err := s.g.openLive(s.g.repo, s.promises)
			if err != nil {
				return nil, usageErr("%v", err)
			}
			return e, nil
		},
		Dir: s.g.repo, Period: s.period, AsOf: s.asOf, AllowHosts: s.allowHosts, Auth: method,
		Push: s.push, FetchEvery: s.fetchEvery, Log: s.g.stderr,
		GitToken: os.Getenv("LOFTE_GIT_TOKEN"), GitUser: os.Getenv("LOFTE_GIT_USER"), GitSSHKey: os.Getenv("LOFTE_GIT_SSH_KEY"),
	})
	if err != nil {
		return usageErr("%v", err)
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return usageErr("--addr: %v", err)
	}
	if !loopback(ln.Addr()) {
		fmt.Fprintf(s.g.stderr, s.g.say("lofte: obs: %s nås från andra datorer än den här\n",
			"lofte: note: %s can be reached from other computers than this one\n"), ln.Addr())
	}
	fmt.Fprintf(s.g.stderr, s.g.say("lofte: uppföljningen visas på http://%s/ (Ctrl-C avslutar)\n",
		"lofte: the follow-up is shown at http://%s/ (Ctrl-C stops)\n"), ln.Addr())
	if s.listening != nil {
		s.listening(ln.Addr())
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	fmt.Fprintln(s.g.stderr, s.g.say("lofte: servern är avslutad", "lofte: the server has stopped"))
	return nil
}

// auth makes the sign-in method the flags name; nil for none.
func (s *serveCmd) auth(ctx context.Context) (auth.Method, error) {
	switch s.authMode {
	case "none", "":
		return nil, nil
	case "proxy":
		nets, err := auth.ParsePrefixes(s.trusted)
		if err != nil {
			return nil, usageErr("--trusted-proxy: %v", err)
		}
		if len(nets) == 0 {
			return nil, usageErr("--auth proxy behöver --trusted-proxy: adressen som proxyn kommer från, t.ex. 127.0.0.1")
		}
		p, err := auth.NewProxy(auth.ProxyConfig{Header: s.authHeader, NameHeader: s.nameHeader, Trusted: nets, LogoutURL: s.logoutURL})
		if err != nil {
			return nil, usageErr("%v", err)
		}
		return p, nil
	case "oidc":
		return s.oidc(ctx)
	}
	return nil, usageErr("okänt värde %q för --auth: välj none, proxy eller oidc", s.authMode)
}

// oidc signs people in with OpenID Connect.
func (s *serveCmd) oidc(ctx context.Context) (auth.Method, error) {
	switch {
	case len(s.issuers) == 0:
		return nil, usageErr("--auth oidc behöver --oidc-issuer, en gång per organisation")
	case s.clientID == "":
		return nil, usageErr("--auth oidc behöver --oidc-client-id")
	case s.baseURL == "":
		return nil, usageErr("--auth oidc behöver --base-url: serverns adress som användarna ser den")
	}
	if u, err := url.Parse(s.baseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, usageErr("--base-url: %q är ingen adress som https://uppfoljning.mullsjo.se", s.baseURL)
	}
	key, err := sessionKey(os.Getenv("LOFTE_SESSION_KEY"))
	if err != nil {
		return nil, usageErr("LOFTE_SESSION_KEY: %v", err)
	}
	if key == nil {
		fmt.Fprintln(s.g.stderr, s.g.say("lofte: obs: LOFTE_SESSION_KEY är inte satt, så alla loggas ut när servern startar om",
			"lofte: note: LOFTE_SESSION_KEY is not set, so everyone is signed out when the server restarts"))
	}
	if os.Getenv("LOFTE_OIDC_CLIENT_SECRET") == "" {
		fmt.Fprintln(s.g.stderr, s.g.say("lofte: obs: LOFTE_OIDC_CLIENT_SECRET är inte satt: inloggningen fungerar bara om appen är registrerad som en offentlig klient (utan hemlighet)",
			"lofte: note: LOFTE_OIDC_CLIENT_SECRET is not set: signing in works only if the app is registered as a public client (without a secret)"))
	}
	start, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	o, err := auth.NewOIDC(start, auth.OIDCConfig{
		Issuers: s.issuers, ClientID: s.clientID, ClientSecret: os.Getenv("LOFTE_OIDC_CLIENT_SECRET"),
		BaseURL: strings.TrimSuffix(s.baseURL, "/"), SessionKey: key, SessionTTL: s.sessionTTL,
	})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return o, nil
}

// sessionKey reads a key of at least 32 bytes, hex or base64; "" is none.
func sessionKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	key, err := hex.DecodeString(s)
	if err != nil {
		if key, err = base64.StdEncoding.DecodeString(s); err != nil {
			return nil, fmt.Errorf("skriv nyckeln hexadecimalt eller i base64, t.ex. från `openssl rand -hex 32`")
		}
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("nyckeln är %d byte, minst 32 behövs (`openssl rand -hex 32`)", len(key))
	}
	return key, nil
}

// loopback reports whether addr is only reachable from this machine.
func loopback(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

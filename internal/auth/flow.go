package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// flow is what the browser carries, sealed, from /auth/login to
// /auth/callback.
type flow struct {
	Issuer   string `json:"i"`
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r"`
}

// session is what the session cookie holds.
type session struct {
	Issuer string `json:"i"`
	Person Person `json:"p"`
}

// Handler serves /auth/login, /auth/callback and /auth/logout. The server
// protects the logout POST against cross-site requests as it does its
// other forms (http.CrossOriginProtection).
func (o *OIDC) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/login", o.login)
	mux.HandleFunc("GET /auth/callback", o.callback)
	mux.HandleFunc("GET /auth/logout", confirmLogout)
	mux.HandleFunc("POST /auth/logout", o.logout)
	return mux
}

// Identify returns the person of a valid, unexpired session cookie from
// an issuer that is still configured.
func (o *OIDC) Identify(r *http.Request) (Person, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return Person{}, false
	}
	var s session
	if !o.sign.open(sessionCookie, c.Value, &s) || o.issuerByURL(s.Issuer) == nil {
		return Person{}, false
	}
	return s.Person, true
}

// login shows the chooser when there are several issuers and no choice
// yet, else starts the flow at the chosen issuer.
func (o *OIDC) login(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	choice := r.URL.Query().Get("issuer")
	if choice == "" && len(o.issuers) > 1 {
		page(w, http.StatusOK, pageChooser, o.choices(next))
		return
	}
	i, err := strconv.Atoi(choice)
	if choice == "" {
		i, err = 0, nil
	}
	if err != nil || i < 0 || i >= len(o.issuers) {
		failed(w, http.StatusBadRequest, "Den inloggningstjänsten finns inte här.")
		return
	}
	o.start(w, r, i, next)
}

// choice is one line of the chooser page.
type choice struct{ Label, Href string }

func (o *OIDC) choices(next string) []choice {
	out := make([]choice, len(o.issuers))
	for i, iss := range o.issuers {
		q := url.Values{"issuer": {strconv.Itoa(i)}, "next": {next}}
		out[i] = choice{iss.label, "/auth/login?" + q.Encode()}
	}
	return out
}

// start sets the sealed flow cookie and sends the browser to the issuer.
func (o *OIDC) start(w http.ResponseWriter, r *http.Request, i int, next string) {
	f := flow{Issuer: o.issuers[i].url, State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier(), Next: next}
	sealed, err := o.sign.seal(flowCookie, f, o.sign.now().Add(flowTTL))
	if err != nil {
		failed(w, http.StatusInternalServerError, "Ett internt fel uppstod.")
		return
	}
	http.SetCookie(w, cookie(flowCookie, sealed, flowTTL, o.secure))
	to := o.issuers[i].oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	http.Redirect(w, r, to, http.StatusFound)
}

// callback finishes the flow: state, code exchange with the PKCE verifier,
// ID token, nonce, membership e-mail, then the session cookie.
func (o *OIDC) callback(w http.ResponseWriter, r *http.Request) {
	f, iss := o.flowOf(r)
	http.SetCookie(w, cookie(flowCookie, "", 0, o.secure))
	q := r.URL.Query()
	switch {
	case iss == nil:
		failed(w, http.StatusBadRequest, "Inloggningen hann gå ut eller startades i en annan webbläsare. Börja om.")
		return
	case q.Get("error") != "":
		failed(w, http.StatusUnauthorized, "Inloggningstjänsten avbröt inloggningen.")
		return
	case !sameString(q.Get("state"), f.State):
		failed(w, http.StatusBadRequest, "Svaret från inloggningstjänsten hör inte till den här inloggningen. Börja om.")
		return
	}
	p, msg := o.person(r, iss, f)
	if msg != "" {
		failed(w, http.StatusForbidden, msg)
		return
	}
	o.setSession(w, iss, p)
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
}

// flowOf opens the flow cookie; the issuer is nil when there is none, or
// when its issuer is no longer configured.
func (o *OIDC) flowOf(r *http.Request) (flow, *issuer) {
	var f flow
	c, err := r.Cookie(flowCookie)
	if err != nil || !o.sign.open(flowCookie, c.Value, &f) {
		return flow{}, nil
	}
	return f, o.issuerByURL(f.Issuer)
}

func sameString(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

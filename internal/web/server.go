package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"html/template"
	"log"
	"net/http"
	"net/url"
	"strings"

	"github.com/lofte/lofte/internal/auth"
)

// Config is what New needs.
type Config struct {
	Backend Backend
	// Auth signs people in; nil serves Public alone, read-only: no forms.
	Auth auth.Method
	// Public serves everything that is not the signed-in side (the public
	// page, /api/status, /metrics, /healthz); it is mounted at /.
	Public http.Handler
	// Secret keys the MAC that carries an uploaded file from its preview
	// to its confirmation; nil: a random key for the life of the process.
	Secret []byte
	// MaxUpload bounds an uploaded CSV file in bytes (0: DefaultMaxUpload).
	MaxUpload int64
}

// DefaultMaxUpload is the largest CSV file accepted when Config.MaxUpload
// is 0.
const DefaultMaxUpload = 2 << 20

// maxForm bounds the body of a form or of POST /api/records.
const maxForm = 64 << 10

//go:embed templates/*.html
var templateFS embed.FS

// pages are the templates, each parsed with the layout.
var pages = parsePages("form", "done", "index", "mina", "upload", "message")

func parsePages(names ...string) map[string]*template.Template {
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, n := range names {
		out[n] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+n+".html"))
	}
	return out
}

type server struct {
	b         Backend
	auth      auth.Method
	secret    []byte
	maxUpload int64
	once      sendings
}

// New returns the handler of lofte serve: Public at /, and, with an
// auth.Method, the sign-in routes under /auth/, the forms (/registrera),
// Mina åtaganden (/mina), the upload (/ladda-upp) and POST /api/records.
// The whole of it refuses cross-origin requests that change anything
// (http.CrossOriginProtection).
func New(cfg Config) http.Handler {
	mux := http.NewServeMux()
	if cfg.Public != nil {
		mux.Handle("/", cfg.Public)
	}
	if cfg.Auth != nil && cfg.Backend != nil {
		s := &server{b: cfg.Backend, auth: cfg.Auth, secret: cfg.Secret, maxUpload: cfg.MaxUpload}
		if len(s.secret) == 0 {
			s.secret = make([]byte, 32)
			rand.Read(s.secret)
		}
		if s.maxUpload <= 0 {
			s.maxUpload = DefaultMaxUpload
		}
		s.routes(mux)
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(crossOrigin))
	return cop.Handler(mux)
}

func (s *server) routes(mux *http.ServeMux) {
	mux.Handle("/auth/", s.auth.Handler())
	mux.HandleFunc("GET /registrera", s.signedIn(s.index))
	mux.HandleFunc("GET /registrera/{typ}", s.signedIn(s.form))
	mux.HandleFunc("POST /registrera/{typ}", s.signedIn(s.submit))
	mux.HandleFunc("GET /registrera/{typ}/klart", s.signedIn(s.done))
	mux.HandleFunc("GET /mina", s.signedIn(s.mina))
	mux.HandleFunc("POST /mina/angra", s.signedIn(s.undo))
	mux.HandleFunc("GET /ladda-upp", s.signedIn(s.uploadForm))
	mux.HandleFunc("POST /ladda-upp", s.signedIn(s.preview))
	mux.HandleFunc("POST /ladda-upp/spara", s.signedIn(s.confirm))
	mux.HandleFunc("POST /api/records", s.apiRecord)
}

// crossOrigin answers a request refused as cross-origin.
func crossOrigin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte("lofte: begäran kom från en annan webbplats och avvisades (skicka formuläret från lofte självt)\n"))
}

// signedIn runs h for a signed-in person. A page asked for without
// sign-in leads to /auth/login and back; a form sent without is 401.
func (s *server) signedIn(h func(http.ResponseWriter, *http.Request, auth.Person)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		who, ok := s.auth.Identify(r)
		if ok {
			h(w, r, who)
			return
		}
		login := "/auth/login?next=" + url.QueryEscape(r.URL.RequestURI())
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, login, http.StatusSeeOther)
			return
		}
		s.message(w, r, nil, http.StatusUnauthorized, "Du är inte inloggad",
			"Ingenting sparades. Logga in och skicka formuläret igen.", login, "Logga in")
	}
}

// page is what every page's layout shows.
type page struct {
	Title   string
	Nav     string // the current section: registrera, mina, ladda-upp
	Who     *auth.Person
	Parties string
	Pending int
	Repo    string
	Content any
}

func (s *server) page(r *http.Request, who *auth.Person, l *Live, title, nav string, content any) page {
	p := page{Title: title, Nav: nav, Content: content, Who: who, Pending: s.b.Pending()}
	if l == nil {
		lv := s.b.Live()
		l = &lv
	}
	p.Repo = l.Repo
	if who != nil {
		m := membershipOf(l.Promises, *who)
		var names []string
		for _, id := range m.ids {
			names = append(names, m.names[id])
		}
		p.Parties = strings.Join(names, ", ")
	}
	return p
}

// render writes a page: the template into a buffer first, so that a
// failing template gives a 500, not half a page.
func render(w http.ResponseWriter, status int, name string, p page) {
	var b bytes.Buffer
	if err := pages[name].ExecuteTemplate(&b, "layout.html", p); err != nil {
		log.Printf("lofte: sidan %s: %v", name, err)
		http.Error(w, "lofte: sidan kunde inte visas", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// messageView is a page that says one thing, with a way on.
type messageView struct {
	Heading, Text, Link, LinkText string
}

func (s *server) message(w http.ResponseWriter, r *http.Request, who *auth.Person, status int, heading, text, link, linkText string) {
	render(w, status, "message", s.page(r, who, nil, heading, "", messageView{heading, text, link, linkText}))
}

// index lists the forms.
func (s *server) index(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	m := membershipOf(l.Promises, who)
	type item struct{ ID, Title string }
	var v struct {
		Member     bool
		Activities []item
		Assess     bool
	}
	v.Member = len(m.ids) > 0
	for _, a := range l.Vocab.Activities {
		if a.ID != "assessment" {
			v.Activities = append(v.Activities, item{a.ID, cmpOr(a.Title, a.ID)})
		}
	}
	v.Assess = len(assessable(l, m)) > 0
	render(w, http.StatusOK, "index", s.page(r, &who, &l, "Registrera", "registrera", v))
}

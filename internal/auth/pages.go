package auth

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// The pages are small, Swedish and work without JavaScript or anything
// fetched from elsewhere.
var pages = template.Must(template.New("layout").Parse(`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – lofte</title>
<style>
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header{background:#16324f;color:#fff;padding:.5rem 1rem}
header p{max-width:32rem;margin:0 auto;font-weight:700}
main{max-width:32rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
:focus-visible{outline:3px solid #c24e00;outline-offset:2px}
ul{list-style:none;padding:0;margin:0}
li{margin:.75rem 0}
li a,button{display:block;width:100%;max-width:24rem;min-height:48px;padding:.7rem 1rem;font:inherit;font-weight:600;font-size:1.05rem;text-align:center;text-decoration:none;color:#fff;background:#0b57a3;border:0;border-radius:6px}
</style>
</head>
<body>
<header><p>lofte · uppföljning av medborgarlöftet</p></header>
<main>
<h1>{{.Title}}</h1>
{{template "body" .}}
</main>
</body>
</html>
`))

// A pageKind is one of the pages: a title and a body template.
type pageKind struct {
	title string
	tmpl  *template.Template
}

func newPage(title, body string) pageKind {
	t := template.Must(template.Must(pages.Clone()).New("body").Parse(body))
	return pageKind{title: title, tmpl: t.Lookup("layout")}
}

var (
	pageChooser = newPage("Logga in", `<p id="val">Logga in som:</p>
<ul aria-labelledby="val">{{range .Data}}
<li><a href="{{.Href}}">{{.Label}}</a></li>{{end}}
</ul>`)
	pageLogout = newPage("Logga ut", `<form method="post" action="/auth/logout">
<p>Vill du logga ut från lofte?</p>
<button type="submit">Logga ut</button>
</form>
<p><a href="/">Nej, tillbaka</a></p>`)
	pageProxyNotSignedIn = newPage("Inte inloggad", `<p>Du är inte inloggad. Inloggningen sköts av
tjänsten framför lofte; kontakta den som driver lofte om du ser det här.</p>`)
	pageFailed = newPage("Inloggningen misslyckades", `<p>{{.Data}}</p>
<p><a href="/auth/login">Försök igen</a></p>`)
)

// page writes a page with status code; data is what its body shows.
func page(w http.ResponseWriter, code int, p pageKind, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(code)
	_ = p.tmpl.Execute(w, struct {
		Title string
		Data  any
	}{p.title, data})
}

// failed writes the sign-in failure page with a Swedish reason.
func failed(w http.ResponseWriter, code int, reason string) {
	page(w, code, pageFailed, reason)
}

// confirmLogout asks before signing out: a GET must not change anything.
func confirmLogout(w http.ResponseWriter, r *http.Request) {
	page(w, http.StatusOK, pageLogout, nil)
}

// safeNext returns next when it is a path on this server, and "/"
// otherwise, so that ?next= cannot send a person to another site.
// "//host" and "/\host" are taken by browsers as another host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsRune(next, '\\') || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// validLogoutURL accepts a local path or an absolute http(s) address.
func validLogoutURL(s string) bool {
	if safeNext(s) == s {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

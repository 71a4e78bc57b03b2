package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	officer  = "Polis Testsson <polis.testsson@polisen.example>"
	official = "Kommun Testsdotter <k.testsdotter@mullsjo.example>"
	outsider = "Utom Stående <utom@example.org>"
)

func public() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("offentlig uppföljning")) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	return mux
}

type fixture struct {
	t *testing.T
	b *gitBackend
	h http.Handler
}

func newFixture(t *testing.T) *fixture {
	b := newGitBackend(t)
	return &fixture{t: t, b: b, h: New(Config{Backend: b, Auth: headerAuth{}, Public: public(), Secret: []byte("test")})}
}

// do sends a request as who ("" for nobody); a POST comes from the same
// origin, as a browser sends it.
func (f *fixture) do(method, target, who, contentType string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if who != "" {
		r.Header.Set("X-Test-User", who)
	}
	if method == http.MethodPost {
		r.Header.Set("Origin", "http://example.com")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func (f *fixture) form(target, who string, v url.Values, hdr ...string) *httptest.ResponseRecorder {
	return f.do(http.MethodPost, target, who, "application/x-www-form-urlencoded", []byte(v.Encode()), hdr...)
}

func (f *fixture) api(who, body string, hdr ...string) *httptest.ResponseRecorder {
	return f.do(http.MethodPost, "/api/records", who, "application/json", []byte(body), hdr...)
}

// unchanged fails unless the repository has exactly the commits it had.
func (f *fixture) unchanged(before []string) {
	f.t.Helper()
	if after := f.b.log(); len(after) != len(before) {
		f.t.Errorf("commits %q, want no new one after %q", after, before)
	}
	if out, _ := f.b.git(nil, "status", "--porcelain"); out != "" {
		f.t.Errorf("work tree changed:\n%s", out)
	}
}

func (f *fixture) file(name string) string {
	f.t.Helper()
	data, err := os.ReadFile(filepath.Join(f.b.dir, filepath.FromSlash(name)))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(data)
}

func contains(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("missing %q in\n%s", w, body)
		}
	}
}

func TestPublicStaysPublic(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/", "/healthz"} {
		if w := f.do("GET", p, "", "", nil); w.Code != 200 {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
	// Without a sign-in method: the public routes only.
	ro := New(Config{Backend: f.b, Public: public()})
	for _, tc := range []struct{ method, path string }{{"GET", "/registrera"}, {"GET", "/mina"}, {"POST", "/api/records"}, {"GET", "/ladda-upp"}} {
		w := httptest.NewRecorder()
		ro.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, strings.NewReader(`{"type":"hundsok"}`)))
		if w.Code == 200 || w.Code == 201 {
			t.Errorf("read-only %s %s: %d", tc.method, tc.path, w.Code)
		}
	}
	w := httptest.NewRecorder()
	ro.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Body.String() != "offentlig uppföljning" {
		t.Errorf("read-only /: %d %q", w.Code, w.Body)
	}
}

func TestNotSignedIn(t *testing.T) {
	f := newFixture(t)
	before := f.b.log()
	for _, p := range []string{"/registrera", "/registrera/hundsok", "/mina", "/ladda-upp"} {
		w := f.do("GET", p, "", "", nil)
		if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/auth/login?next="+url.QueryEscape(p) {
			t.Errorf("GET %s: %d %q", p, w.Code, loc)
		}
	}
	for _, p := range []string{"/registrera/hundsok", "/mina/angra", "/ladda-upp", "/ladda-upp/spara"} {
		w := f.form(p, "", url.Values{"by": {"polisen"}, "plats": {"grundskola"}})
		if w.Code != http.StatusUnauthorized {
			t.Errorf("POST %s: %d", p, w.Code)
		}
		contains(t, w.Body.String(), "/auth/login?next=")
	}
	w := f.api("", `{"type":"hundsok","by":"polisen","plats":"grundskola"}`)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("api: %d", w.Code)
	}
	f.unchanged(before)
}

func TestAPIRecords(t *testing.T) {
	tests := []struct {
		name, who, body string
		code            int
		field           string // of the first error
	}{
		{"hundsok", officer, `{"type":"hundsok","by":"polisen","plats":"grundskola","skola":"Centralskolan"}`, 201, ""},
		{"by defaults to the only party", officer, `{"type":"hundsok","plats":"gymnasium","date":"2022-08-30"}`, 201, ""},
		{"joint", official, `{"type":"samverkansmote","by":["polisen","kommunen"],"med":["skola","socialtjanst"],"amnen":["droger"]}`, 201, ""},
		{"assessment", official, `{"type":"assessment","commitment":"droger.samverkan","status":"on_track","note":"Möten varje månad"}`, 201, ""},
		{"not their party", officer, `{"type":"hundsok","by":"kommunen","plats":"grundskola"}`, 403, "by"},
		{"not their commitment", officer, `{"type":"assessment","commitment":"droger.samverkan","status":"met"}`, 403, "commitment"},
		{"no party at all", outsider, `{"type":"hundsok","by":"polisen","plats":"grundskola"}`, 403, ""},
		{"bad enum", officer, `{"type":"hundsok","by":"polisen","plats":"förskola"}`, 422, "plats"},
		{"required", officer, `{"type":"trafikkontroll","by":"polisen","form":"civil"}`, 422, "riktad_mot"},
		{"not an int", officer, `{"type":"trafikkontroll","by":"polisen","form":"civil","riktad_mot":"allman","antal_kontrollerade":"många"}`, 422, "antal_kontrollerade"},
		{"bad date", officer, `{"type":"hundsok","by":"polisen","plats":"grundskola","date":"2022-13-01"}`, 422, "date"},
		{"unknown type", officer, `{"type":"hundsk","by":"polisen"}`, 422, ""},
		{"no type", officer, `{"by":"polisen"}`, 422, "type"},
		{"object value", officer, `{"type":"hundsok","by":"polisen","plats":{"a":1}}`, 422, "plats"},
		{"personnummer", officer, `{"type":"hundsok","by":"polisen","plats":"annan","skola":"19811218-9876"}`, 422, "skola"},
		{"not manual", officer, `{"type":"assessment","commitment":"trafik.kontroller","status":"met"}`, 422, "commitment"},
		{"no JSON", officer, `plats=grundskola`, 400, ""},
		{"two objects", officer, `{"type":"hundsok"} {"type":"hundsok"}`, 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			before := f.b.log()
			w := f.api(tc.who, tc.body)
			if w.Code != tc.code {
				t.Fatalf("%d, want %d: %s", w.Code, tc.code, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.code != 201 {
				var got struct{ Errors []FieldError }
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Errors) == 0 {
					t.Fatalf("errors: %v %s", err, w.Body)
				}
				if tc.field != "" && got.Errors[0].Field != tc.field {
					t.Errorf("field %q, want %q: %s", got.Errors[0].Field, tc.field, w.Body)
				}
				for _, e := range got.Errors {
					if e.Message == "" {
						t.Errorf("empty message: %s", w.Body)
					}
				}
				f.unchanged(before)
				return
			}
			var got struct {
				Commit, File string
				Line         int
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			after := f.b.log()
			if len(after) != len(before)+1 || !strings.HasPrefix(after[0], "Ny post: ") {
				t.Errorf("commits %q", after)
			}
			head, _ := f.b.git(nil, "log", "-1", "--format=%H %ae %an")
			p, _ := (headerAuth{}).Identify(&http.Request{Header: http.Header{"X-Test-User": {tc.who}}})
			if head != got.Commit+" "+p.Email+" "+p.Name {
				t.Errorf("HEAD %q, answer %+v", head, got)
			}
			lines := strings.Split(f.file(got.File), "\n")
			if got.Line < 1 || got.Line > len(lines) || !strings.HasPrefix(lines[got.Line-1], "- ") {
				t.Errorf("line %d of %s:\n%s", got.Line, got.File, strings.Join(lines, "\n"))
			}
			changed, _ := f.b.git(nil, "show", "--name-only", "--format=", "HEAD")
			if changed != got.File {
				t.Errorf("commit changes %q, want %s", changed, got.File)
			}
		})
	}
}

func TestAPIDateDefaultsToToday(t *testing.T) {
	f := newFixture(t)
	w := f.api(officer, `{"type":"hundsok","by":"polisen","plats":"grundskola"}`)
	if w.Code != 201 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	contains(t, f.file("data/2022/hundsok.yaml"), "date: 2022-08-31")
}

func TestCrossOriginRefused(t *testing.T) {
	f := newFixture(t)
	before := f.b.log()
	good := url.Values{"by": {"polisen"}, "plats": {"grundskola"}, "date": {"2022-08-31"}}
	for _, hdr := range [][]string{
		{"Origin", "https://angripare.example", "Sec-Fetch-Site", ""},
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site", "Origin", "http://sub.example.com"},
	} {
		w := f.form("/registrera/hundsok", officer, good, hdr...)
		if w.Code != http.StatusForbidden {
			t.Errorf("form %v: %d", hdr, w.Code)
		}
		if w := f.api(officer, `{"type":"hundsok","by":"polisen","plats":"grundskola"}`, hdr...); w.Code != http.StatusForbidden {
			t.Errorf("api %v: %d", hdr, w.Code)
		}
		if w := f.form("/mina/angra", officer, url.Values{"commit": {"x"}}, hdr...); w.Code != http.StatusForbidden {
			t.Errorf("undo %v: %d", hdr, w.Code)
		}
	}
	f.unchanged(before)
	// The same form from the same origin is recorded.
	if w := f.form("/registrera/hundsok", officer, good); w.Code != http.StatusSeeOther {
		t.Errorf("same origin: %d %s", w.Code, w.Body)
	}
}

func TestFormErrorsAtFields(t *testing.T) {
	f := newFixture(t)
	before := f.b.log()
	in := url.Values{"date": {"2022-08-31"}, "by": {"polisen"}, "form": {"civil"}, "plats": {"väg 47"}, "antal_kontrollerade": {"många"}}
	w := f.form("/registrera/trafikkontroll", officer, in)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("%d", w.Code)
	}
	body := w.Body.String()
	contains(t, body,
		`<p class="err" id="f-antal_kontrollerade-e">antal_kontrollerade: &#34;många&#34; är inget heltal`,
		`id="f-antal_kontrollerade" name="antal_kontrollerade" value="många"`,
		`aria-invalid="true" aria-describedby="f-antal_kontrollerade-e f-antal_kontrollerade-h"`,
		`<p class="err" id="f-riktad_mot-e">trafikkontroll kräver fältet &#34;riktad_mot&#34;`,
		`name="riktad_mot" id="f-riktad_mot-0" value="bilburen_ungdom" aria-invalid="true" aria-describedby="f-riktad_mot-e"`,
		`value="väg 47"`, `value="civil" checked`, `<a href="#f-riktad_mot-0">`, "Posten sparades inte")
	f.unchanged(before)

	// A date that is no date.
	w = f.form("/registrera/hundsok", officer, url.Values{"date": {"31/8"}, "by": {"polisen"}, "plats": {"annan"}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("date: %d", w.Code)
	}
	contains(t, w.Body.String(), `id="f-date-e"`, `value="31/8"`)
	f.unchanged(before)
}

func TestFormRefused(t *testing.T) {
	f := newFixture(t)
	before := f.b.log()
	w := f.form("/registrera/hundsok", officer, url.Values{"by": {"kommunen"}, "plats": {"annan"}})
	if w.Code != http.StatusForbidden {
		t.Errorf("by kommunen: %d", w.Code)
	}
	contains(t, w.Body.String(), `id="f-by-e"`)
	w = f.form("/registrera/assessment", officer, url.Values{"commitment": {"droger.samverkan"}, "status": {"met"}})
	if w.Code != http.StatusForbidden {
		t.Errorf("assessment of kommunen's: %d", w.Code)
	}
	if w := f.do("GET", "/registrera/hundsok", outsider, "", nil); w.Code != http.StatusForbidden {
		t.Errorf("outsider form: %d", w.Code)
	}
	if w := f.form("/registrera/hundsok", outsider, url.Values{"by": {"polisen"}, "plats": {"annan"}}); w.Code != http.StatusForbidden {
		t.Errorf("outsider post: %d", w.Code)
	}
	if w := f.do("GET", "/registrera/finnsinte", officer, "", nil); w.Code != http.StatusNotFound {
		t.Errorf("unknown type: %d", w.Code)
	}
	f.unchanged(before)
}

func TestFormRecords(t *testing.T) {
	f := newFixture(t)
	w := f.form("/registrera/trafikkontroll", officer, url.Values{"date": {"2022-08-31"}, "by": {"polisen"},
		"riktad_mot": {"allman"}, "form": {"civil"}, "bilinspektor": {"ja"}, "plats": {"väg 47"}, "antal_kontrollerade": {"12"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	loc := w.Header().Get("Location")
	if !strings.HasPrefix(loc, "/registrera/trafikkontroll/klart?") {
		t.Fatalf("Location %q", loc)
	}
	contains(t, f.file("data/2022/trafikkontroll.yaml"), "riktad_mot: allman, bilinspektor: ja, form: civil, plats: väg 47, antal_kontrollerade: 12")
	w = f.do("GET", loc, officer, "", nil)
	if w.Code != 200 {
		t.Fatalf("confirmation: %d", w.Code)
	}
	contains(t, w.Body.String(), "Sparat: Trafikkontroll", "data/2022/trafikkontroll.yaml", "på rad 3",
		"trafik.kontroller", "3 av minst 104", "101 kvar på 122 dagar: 5,8 per vecka", "1 post väntar på att skickas")
	// Someone else cannot see the confirmation of it.
	if w := f.do("GET", loc, official, "", nil); w.Code != http.StatusNotFound {
		t.Errorf("someone else's confirmation: %d", w.Code)
	}

	// Decimal comma, a date field, lists, a select.
	w = f.form("/registrera/trygghetsvandring", official, url.Values{"by": {"kommunen"}, "timmar": {"1,5"},
		"uppfoljning": {"2022-09-15"}, "omrade": {"stationen"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("trygghetsvandring: %d %s", w.Code, w.Body)
	}
	contains(t, f.file("data/2022/trygghetsvandring.yaml"), "timmar: 1.5", "uppfoljning: 2022-09-15", "date: 2022-08-31", "by: kommunen")
	w = f.form("/registrera/samverkansmote", official, url.Values{"by": {"polisen+kommunen"}, "med": {"skola", "fritidsgard"}, "amnen": {"droger\r\nklotter\r\n"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("samverkansmote: %d %s", w.Code, w.Body)
	}
	contains(t, f.file("data/2022/samverkansmote.yaml"), "by: polisen+kommunen", "med: [skola, fritidsgard]", "amnen: [droger, klotter]")

	// An assessment, and its status on the confirmation.
	w = f.form("/registrera/assessment", official, url.Values{"commitment": {"droger.samverkan"}, "status": {"behind"}, "note": {"Färre möten än planerat"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("assessment: %d %s", w.Code, w.Body)
	}
	w = f.do("GET", w.Header().Get("Location"), official, "", nil)
	contains(t, w.Body.String(), "droger.samverkan", "efter", "Färre möten än planerat")
	contains(t, f.file("data/2022/assessment.yaml"), "by: kommunen")
}

func TestFormsFromVocabulary(t *testing.T) {
	f := newFixture(t)
	w := f.do("GET", "/registrera", officer, "", nil)
	contains(t, w.Body.String(), `href="/registrera/trafikkontroll"`, `href="/registrera/trygghetsvandring"`, `href="/registrera/assessment"`,
		"Inloggad som Polis Testsson (Polisen)", `action="/auth/logout"`)
	w = f.do("GET", "/registrera/trafikkontroll", officer, "", nil)
	if w.Code != 200 {
		t.Fatalf("%d", w.Code)
	}
	contains(t, w.Body.String(), `lang="sv"`, `type="date"`, `value="2022-08-31"`,
		`<legend>Vem gjorde det <span class="req">(måste fyllas i)</span></legend>`,
		`value="polisen" checked>Polisen</label>`, `value="polisen&#43;kommunen">Polisen &#43; Mullsjö kommun</label>`,
		`<legend>Riktad mot <span class="req">(måste fyllas i)</span></legend>`, `value="ja">Ja</label>`,
		`inputmode="numeric"`)
	if strings.Contains(w.Body.String(), `value="kommunen"`) {
		t.Error("offers kommunen alone to the police")
	}
	w = f.do("GET", "/registrera/trygghetsvandring", official, "", nil)
	contains(t, w.Body.String(), `<select id="f-omrade" name="omrade"`, `inputmode="decimal"`, `id="f-uppfoljning" name="uppfoljning" value="" type="date"`)
	w = f.do("GET", "/registrera/samverkansmote", official, "", nil)
	contains(t, w.Body.String(), `type="checkbox" name="med"`, `<textarea id="f-amnen" name="amnen"`)
	w = f.do("GET", "/registrera/assessment", official, "", nil)
	contains(t, w.Body.String(), `value="droger.samverkan" checked>`, `value="on_track">i fas</label>`)
	if strings.Contains(w.Body.String(), "polis.utbildning") {
		t.Error("offers the police's commitment to the municipality")
	}
	if strings.Contains(w.Body.String(), "<script") {
		t.Error("a script")
	}
}

func TestMinaAndUndo(t *testing.T) {
	f := newFixture(t)
	w := f.api(officer, `{"type":"hundsok","by":"polisen","plats":"grundskola"}`)
	if w.Code != 201 {
		t.Fatalf("%d", w.Code)
	}
	var got Written
	json.Unmarshal(w.Body.Bytes(), &got)
	w = f.do("GET", "/mina", officer, "", nil)
	body := w.Body.String()
	contains(t, body, "trafik.kontroller", "102 kvar på 122 dagar: 5,9 per vecka", "droger.hundsok", "polis.utbildning",
		"Ny post: hundsok 2022-08-31 (polisen)", `name="commit" value="`+got.Commit+`"`, "1 post väntar på att skickas")
	if strings.Contains(body, "trygghet.vandringar") {
		t.Error("shows kommunen's commitment to the police")
	}
	// Someone else cannot undo it.
	before := f.b.log()
	if w := f.form("/mina/angra", official, url.Values{"commit": {got.Commit}}); w.Code != http.StatusForbidden {
		t.Errorf("someone else's undo: %d", w.Code)
	}
	f.unchanged(before)
	w = f.form("/mina/angra", officer, url.Values{"commit": {got.Commit}})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/mina?angrad=") {
		t.Fatalf("undo: %d %s", w.Code, w.Body)
	}
	if data, err := os.ReadFile(filepath.Join(f.b.dir, "data", "2022", "hundsok.yaml")); err == nil {
		t.Errorf("the record is still there:\n%s", data)
	}
	w = f.do("GET", w.Header().Get("Location"), officer, "", nil)
	contains(t, w.Body.String(), "Registreringen är ångrad")
	if strings.Contains(w.Body.String(), `value="`+got.Commit+`"`) {
		t.Error("an undone record can be undone again")
	}
	// Undone already: said so, not that it is someone else's or too old.
	if w := f.form("/mina/angra", officer, url.Values{"commit": {got.Commit}}); w.Code != http.StatusConflict ||
		!strings.Contains(w.Body.String(), "redan ångrad") {
		t.Errorf("second undo: %d %s", w.Code, w.Body)
	}
}

func upload(t *testing.T, name, content string) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("fil", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="(\w+)" value="([^"]*)">`)

func TestUpload(t *testing.T) {
	f := newFixture(t)
	before := f.b.log()
	good := "date;type;by;plats;skola\n2022-08-01;hundsok;polisen;grundskola;Centralskolan\n2022-08-15;hundsok;polisen+kommunen;gymnasium;\n"
	ct, body := upload(t, "hundsok.csv", good)
	w := f.do("POST", "/ladda-upp", officer, ct, body)
	if w.Code != 200 {
		t.Fatalf("preview: %d %s", w.Code, w.Body)
	}
	contains(t, w.Body.String(), "2 rader utan fel", "Centralskolan", `action="/ladda-upp/spara"`)
	f.unchanged(before)
	form := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(w.Body.String(), -1) {
		form.Set(m[1], m[2])
	}
	// A changed file, or another person, is refused.
	tampered := url.Values{}
	for k, v := range form {
		tampered[k] = v
	}
	tampered.Set("data", "ZGF0ZTt0eXBlO2J5CjIwMjItMDgtMDE7aHVuZHNvaztrb21tdW5lbgo=")
	if w := f.form("/ladda-upp/spara", officer, tampered); w.Code != http.StatusBadRequest {
		t.Errorf("tampered: %d", w.Code)
	}
	if w := f.form("/ladda-upp/spara", "Annan Polis <annan@polisen.example>", form); w.Code != http.StatusBadRequest {
		t.Errorf("another person: %d", w.Code)
	}
	f.unchanged(before)
	w = f.form("/ladda-upp/spara", officer, form)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/mina?sparad=") {
		t.Fatalf("confirm: %d %s", w.Code, w.Body)
	}
	if after := f.b.log(); len(after) != len(before)+1 {
		t.Errorf("commits %q", after)
	}
	if f.file("data/uppladdat/hundsok.csv") != good {
		t.Error("file not saved as uploaded")
	}
}

func TestUploadErrorsAtCells(t *testing.T) {
	f := newFixture(t)
	before := f.b.log()
	for _, tc := range []struct {
		name, content string
		code          int
		want          []string
	}{
		{"bad.csv", "date;type;by;plats\n2022-08-01;hundsok;polisen;förskola\n2022-08-02;hundsok;polisen;annan\n", 422,
			[]string{`<td class="cellbad">förskola<span>plats: &#34;förskola&#34; är inget tillåtet värde`, "Rader med fel"}},
		{"foreign.csv", "date;type;by;plats\n2022-08-01;hundsok;kommunen;annan\n", 422,
			[]string{`<td class="cellbad">kommunen<span>Du får bara ladda upp det som Polisen gjort.`}},
		{"noheader.csv", "2022-08-01;hundsok;polisen;annan\n", 422, []string{"kolumnen date saknas"}},
		{"ark.xlsx", "PK\x03\x04", 422, []string{"ingen CSV-fil"}},
	} {
		ct, body := upload(t, tc.name, tc.content)
		w := f.do("POST", "/ladda-upp", officer, ct, body)
		if w.Code != tc.code {
			t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
		}
		contains(t, w.Body.String(), tc.want...)
		if strings.Contains(w.Body.String(), "/ladda-upp/spara") {
			t.Errorf("%s: offers to save", tc.name)
		}
	}
	small := New(Config{Backend: f.b, Auth: headerAuth{}, Public: public(), MaxUpload: 100})
	ct, body := upload(t, "stor.csv", "date;type;by;plats\n"+strings.Repeat("2022-08-01;hundsok;polisen;annan\n", 20))
	r := httptest.NewRequest("POST", "/ladda-upp", bytes.NewReader(body))
	r.Header.Set("Content-Type", ct)
	r.Header.Set("X-Test-User", officer)
	w := httptest.NewRecorder()
	small.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("too large: %d", w.Code)
	}
	f.unchanged(before)
}

func TestFieldErrors(t *testing.T) {
	for msg, want := range map[string]string{
		`plats: "x" är inget tillåtet värde`:  "plats",
		`trafikkontroll kräver fältet "form"`: "form",
		`okänd part "x"`:                      "by",
		`okänd aktivitetstyp "x"`:             "",
		`okänt fält "zz" för t`:               "",
		`date: "2022-13-01": månaden`:         "date",
	} {
		if got := fieldOf(msg); got != want {
			t.Errorf("fieldOf(%q) = %q, want %q", msg, got, want)
		}
	}
}

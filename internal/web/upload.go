package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/privacy"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/internal/auth"
)

// uploadTTL is how long a previewed file may be confirmed.
const uploadTTL = time.Hour

// uploadView is the upload page: the form, or a file previewed.
type uploadView struct {
	Max      string
	Types    []typeColumns
	Preview  *Preview
	ByCol    int
	Name     string
	Error    string
	Carry    *carry // set when the file may be saved
	RowCount int
}

type typeColumns struct{ ID, Title, Columns string }

// carry is the file between preview and confirmation, in the page: its
// MAC binds it to the person and the time it was previewed.
type carry struct {
	Name, Data, At, MAC string
}

func (s *server) mac(who auth.Person, name string, at int64, data []byte) string {
	h := hmac.New(sha256.New, s.secret)
	for _, part := range [][]byte{[]byte(who.Key), []byte(who.Email), []byte(name), binary.BigEndian.AppendUint64(nil, uint64(at)), data} {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(part))))
		h.Write(part)
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

func (s *server) uploadView(l Live) uploadView {
	v := uploadView{Max: fmt.Sprintf("%d kB", s.maxUpload>>10), ByCol: -1}
	if s.maxUpload >= 1<<20 {
		v.Max = strings.Replace(fmt.Sprintf("%.1f MB", float64(s.maxUpload)/(1<<20)), ".", ",", 1)
	}
	for _, a := range l.Vocab.Activities {
		cols := []string{promise.FieldDate, promise.FieldType, promise.FieldBy}
		for _, f := range a.Fields {
			cols = append(cols, f.Name)
		}
		v.Types = append(v.Types, typeColumns{a.ID, cmpOr(a.Title, a.ID), strings.Join(cols, ";")})
	}
	return v
}

func (s *server) uploadForm(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	render(w, http.StatusOK, "upload", s.page(r, &who, &l, "Ladda upp från Excel", "ladda-upp", s.uploadView(l)))
}

// preview reads an uploaded file and shows it row by row; nothing is
// written. The file is read into memory only (the body is bounded), and
// carried to the confirmation in the page.
func (s *server) preview(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	v := s.uploadView(l)
	fail := func(status int, msg string) {
		v.Error = msg
		render(w, status, "upload", s.page(r, &who, &l, "Ladda upp från Excel", "ladda-upp", v))
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload+maxForm)
	if err := r.ParseMultipartForm(s.maxUpload + maxForm); err != nil {
		fail(http.StatusRequestEntityTooLarge, "Filen kunde inte tas emot: den får vara högst "+v.Max+". Dela upp den, eller spara den som CSV.")
		return
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("fil")
	if err != nil {
		fail(http.StatusUnprocessableEntity, "Välj en fil att ladda upp.")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.maxUpload+1))
	if err != nil || int64(len(data)) > s.maxUpload {
		fail(http.StatusRequestEntityTooLarge, "Filen får vara högst "+v.Max+".")
		return
	}
	name := path.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	if strings.ToLower(path.Ext(name)) != ".csv" {
		fail(http.StatusUnprocessableEntity, fmt.Sprintf("%s är ingen CSV-fil. Spara arket i Excel som ”CSV UTF-8 (kommaavgränsad)” och ladda upp den filen.", name))
		return
	}
	s.showPreview(w, r, who, l, v, name, data)
}

// showPreview previews data and offers to save it when it has no problem.
func (s *server) showPreview(w http.ResponseWriter, r *http.Request, who auth.Person, l Live, v uploadView, name string, data []byte) {
	p, err := s.b.Preview(name, data)
	if err != nil {
		v.Error = "Filen kunde inte läsas: " + err.Error()
		render(w, http.StatusUnprocessableEntity, "upload", s.page(r, &who, &l, "Ladda upp från Excel", "ladda-upp", v))
		return
	}
	m := membershipOf(l.Promises, who)
	v.ByCol = markParties(&p, m)
	redactPreview(&p)
	v.Preview, v.Name, v.RowCount = &p, privacy.Redact(name), len(p.Rows)
	status := http.StatusOK
	switch {
	case p.Bad():
		status = http.StatusUnprocessableEntity
	case len(p.Rows) == 0:
		status = http.StatusUnprocessableEntity
		p.Errors = append(p.Errors, "Filen har inga rader att spara.")
	default:
		at := time.Now().Unix()
		v.Carry = &carry{Name: name, Data: base64.StdEncoding.EncodeToString(data), At: strconv.FormatInt(at, 10), MAC: s.mac(who, name, at, data)}
	}
	render(w, status, "upload", s.page(r, &who, &l, "Förhandsgranska "+v.Name, "ladda-upp", v))
}

// redactPreview masks every identity number in what the preview shows: a
// personnummer in a cell is refused at its cell, and never shown back
// (docs/reference.md §11), wherever in the file it is.
func redactPreview(p *Preview) {
	for i, c := range p.Columns {
		p.Columns[i] = privacy.Redact(c)
	}
	for i, e := range p.Errors {
		p.Errors[i] = privacy.Redact(e)
	}
	for i := range p.Rows {
		row := &p.Rows[i]
		for j, e := range row.Errors {
			row.Errors[j] = privacy.Redact(e)
		}
		for j := range row.Cells {
			c := &row.Cells[j]
			c.Value, c.Error = privacy.Redact(c.Value), privacy.Redact(c.Error)
		}
	}
}

// markParties marks the by cells of rows the person may not write, and
// returns the index of the by column (-1 without one).
func markParties(p *Preview, m membership) int {
	col := slices.Index(p.Columns, promise.FieldBy)
	for i := range p.Rows {
		row := &p.Rows[i]
		if len(m.ids) == 0 {
			row.Errors = append(row.Errors, "Du hör inte till någon av parterna och får inte ladda upp poster.")
			continue
		}
		if col < 0 || col >= len(row.Cells) {
			continue
		}
		c := &row.Cells[col]
		if by := splitBy(c.Value); len(by) > 0 && !m.anyOf(by) && c.Error == "" {
			c.Error = fmt.Sprintf("Du får bara ladda upp det som %s gjort.", m.label(m.ids))
		}
	}
	return col
}

// confirm saves a previewed file as one commit, if it still has no
// problem and the MAC shows it is the file this person previewed.
func (s *server) confirm(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	v := s.uploadView(l)
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload*4/3+maxForm)
	var data []byte
	err := r.ParseForm()
	name, at := r.PostForm.Get("namn"), r.PostForm.Get("tid")
	if err == nil {
		data, err = base64.StdEncoding.DecodeString(r.PostForm.Get("data"))
	}
	sec, perr := strconv.ParseInt(at, 10, 64)
	ok := err == nil && perr == nil && time.Since(time.Unix(sec, 0)) < uploadTTL &&
		hmac.Equal([]byte(r.PostForm.Get("mac")), []byte(s.mac(who, name, sec, data)))
	if !ok {
		v.Error = "Filen kunde inte bekräftas (den är för gammal eller ändrad). Ladda upp den igen. Ingenting sparades."
		render(w, http.StatusBadRequest, "upload", s.page(r, &who, &l, "Ladda upp från Excel", "ladda-upp", v))
		return
	}
	// The MAC names this one previewed file of this person: confirmed
	// twice, it is saved once.
	key := "ladda-upp\x00" + who.Key + "\x00" + who.Email + "\x00" + r.PostForm.Get("mac")
	prev, first := s.once.begin(key)
	if !first {
		http.Redirect(w, r, prev, http.StatusSeeOther)
		return
	}
	loc := ""
	defer func() { s.once.end(key, loc) }()
	p, err := s.b.Preview(name, data)
	if err == nil {
		markParties(&p, membershipOf(l.Promises, who))
	}
	if err != nil || p.Bad() || len(p.Rows) == 0 {
		s.showPreview(w, r, who, l, v, name, data)
		return
	}
	wr, err := s.b.Import(r.Context(), who, name, data)
	if _, bad := invalidOf(err); bad {
		s.showPreview(w, r, who, l, v, name, data)
		return
	}
	if err != nil {
		v.Error = "Filen kunde inte sparas: " + err.Error()
		render(w, http.StatusInternalServerError, "upload", s.page(r, &who, &l, "Ladda upp från Excel", "ladda-upp", v))
		return
	}
	loc = "/mina?" + url.Values{"sparad": {wr.Commit}}.Encode()
	http.Redirect(w, r, loc, http.StatusSeeOther)
}

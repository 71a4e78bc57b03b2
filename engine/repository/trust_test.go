package repository_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/crypto/ssh"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/source"
)

const strictPromise = `promise: p
valid: 2022
trust: strict
parties:
  polisen:
    name: Polisen
    authors: ["*@polisen.se"]
  kommunen: Kommunen
commitments:
  - id: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 10
`

func row(date, by string) string { return date + ",trafikkontroll," + by + ",civil\n" }

const header = "date,type,by,form\n"

// value is the figure of commitment id in the report.
func value(t *testing.T, rep *eval.Report, id string) float64 {
	t.Helper()
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			if res.Commitment.ID == id && len(res.Windows) > 0 && res.Windows[0].Value != nil {
				return *res.Windows[0].Value
			}
		}
	}
	t.Fatalf("no value for %s", id)
	return 0
}

func messages(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.Error() + "\n")
	}
	return b.String()
}

// TestTrustAuthors: under trust: strict a record of polisen counts only
// when a polisen.se address committed it; kommunen says nothing of who may
// record for it, so its records count whoever committed them; a joint
// record counts when one restricted party made it; a record not committed
// does not count. check --trust also finds a violation removed since.
func TestTrustAuthors(t *testing.T) {
	g := newGitRepo(t)
	const anna, bo = "Anna <Anna@Polisen.se>", "Bo <bo@mullsjo.se>"
	g.write("rules/activities.yaml", provVocab, "rules/p.yaml", strictPromise,
		"data/a.csv", header+row("2022-01-03", "polisen"))
	g.commit(anna, "2022-01-05", "polisens kontroll")
	g.write("data/b.csv", header+row("2022-01-04", "polisen")+row("2022-01-06", "kommunen"))
	g.commit(bo, "2022-01-07", "kommunen skriver åt polisen")
	g.write("data/c.csv", header+row("2022-01-08", "polisen+kommunen"))
	g.commit(anna, "2022-01-09", "gemensam")
	g.write("data/d.csv", header+row("2022-01-10", "polisen"))
	g.commit(bo, "2022-01-11", "borttagen sedan")
	g.write("data/d.csv", header)
	g.commit(bo, "2022-01-12", "tar bort")
	g.write("data/e.csv", header+row("2022-01-13", "polisen"))

	r, _ := g.load("")
	rep := r.Evaluate(calendar.Period{First: 2022, Last: 2022}, day("2022-06-30"))
	if v := value(t, rep, "trafik"); v != 3 { // a.csv, kommunen's in b.csv, c.csv
		t.Errorf("counted %v, want 3", v)
	}
	got := messages(rep.Diags)
	for _, want := range []string{
		"data/b.csv:2: posten räknas inte för löftet p (trust: strict): commit ",
		"(Bo <bo@mullsjo.se>, 2022-01-07): författaren hör inte till polisen (authors: *@polisen.se)",
		"data/e.csv:2: posten räknas inte för löftet p (trust: strict): posten är inte incheckad",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if rep.Diags.Errors() != 2 {
		t.Errorf("%d errors, want 2:\n%s", rep.Diags.Errors(), got)
	}

	violations := messages(r.TrustViolations())
	for _, want := range []string{
		"data/b.csv:2: commit ",
		"data/d.csv: commit ",
		"lade till en post (trafikkontroll 2022-01-10, by polisen) som löftet p inte godtar (trust: strict): författaren hör inte till polisen (authors: *@polisen.se); posten stod på rad 2 och är borttagen sedan",
		"data/e.csv:2: löftet p räknar inte posten (trust: strict): posten är inte incheckad",
	} {
		if !strings.Contains(violations, want) {
			t.Errorf("missing %q in\n%s", want, violations)
		}
	}
	if n := strings.Count(violations, "\n"); n != 3 {
		t.Errorf("%d violations, want 3:\n%s", n, violations)
	}

	// Without trust: strict every record counts.
	g.write("rules/p.yaml", strings.Replace(strictPromise, "trust: strict\n", "", 1))
	r, _ = g.load("")
	rep = r.Evaluate(calendar.Period{First: 2022, Last: 2022}, day("2022-06-30"))
	if v := value(t, rep, "trafik"); v != 5 || rep.Diags.Errors() != 0 || r.TrustViolations().Errors() != 0 {
		t.Errorf("open trust: %v counted, %v", v, rep.Diags)
	}
}

// signedRepo commits with go-git, which can sign with OpenPGP and SSH keys.
type signedRepo struct {
	*gitRepo
	repo *git.Repository
	day  time.Time
}

func (s *signedRepo) commit(email string, o git.CommitOptions, pathsAndData ...string) {
	s.t.Helper()
	s.write(pathsAndData...)
	wt, err := s.repo.Worktree()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := wt.AddGlob("."); err != nil {
		s.t.Fatal(err)
	}
	s.day = s.day.AddDate(0, 0, 1)
	o.Author = &object.Signature{Name: strings.Split(email, "@")[0], Email: email, When: s.day}
	if _, err := wt.Commit("commit av "+email, &o); err != nil {
		s.t.Fatal(err)
	}
}

func pgpKey(t *testing.T, email string) (*openpgp.Entity, string) {
	t.Helper()
	e, err := openpgp.NewEntity("Nyckel", "", email, &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, _ := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return e, b.String()
}

type sshSigner struct{ s ssh.Signer }

func (g sshSigner) Sign(message io.Reader) ([]byte, error) {
	b, err := io.ReadAll(message)
	if err != nil {
		return nil, err
	}
	return source.SignSSH(g.s, b)
}

func sshKey(t *testing.T, email string) (ssh.Signer, string) {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, email + " " + string(ssh.MarshalAuthorizedKey(s.PublicKey()))
}

// TestTrustSigned: with signers, a record counts only when its commit is
// signed with a key of the party's file (an OpenPGP key ring for polisen,
// SSH allowed signers for kommunen) and, with authors, authored by the
// party.
func TestTrustSigned(t *testing.T) {
	g := newGitRepo(t)
	repo, err := git.PlainOpen(g.dir)
	if err != nil {
		t.Fatal(err)
	}
	s := &signedRepo{gitRepo: g, repo: repo, day: time.Date(2022, 1, 10, 12, 0, 0, 0, time.UTC)}
	police, policeRing := pgpKey(t, "nycklar@polisen.se")
	stranger, _ := pgpKey(t, "okand@example.org")
	municipality, allowed := sshKey(t, "nycklar@mullsjo.se")
	promise := strings.Replace(strictPromise, "  kommunen: Kommunen\n",
		"    signers: rules/nycklar/polisen.asc\n  kommunen:\n    name: Kommunen\n    signers: rules/nycklar/kommunen.pub\n", 1)
	s.commit("anna@polisen.se", git.CommitOptions{SignKey: police}, "rules/activities.yaml", provVocab, "rules/p.yaml", promise,
		"rules/nycklar/polisen.asc", policeRing, "rules/nycklar/kommunen.pub", allowed,
		"data/a.csv", header+row("2022-01-03", "polisen"))
	s.commit("anna@polisen.se", git.CommitOptions{}, "data/b.csv", header+row("2022-01-04", "polisen"))
	s.commit("anna@polisen.se", git.CommitOptions{SignKey: stranger}, "data/c.csv", header+row("2022-01-05", "polisen"))
	s.commit("bo@mullsjo.se", git.CommitOptions{Signer: sshSigner{municipality}}, "data/d.csv", header+row("2022-01-06", "kommunen"))
	s.commit("bo@mullsjo.se", git.CommitOptions{SignKey: police}, "data/e.csv", header+row("2022-01-07", "polisen"))
	s.commit("bo@mullsjo.se", git.CommitOptions{}, "data/f.csv", header+row("2022-01-08", "kommunen"))

	r, _ := g.load("")
	rep := r.Evaluate(calendar.Period{First: 2022, Last: 2022}, day("2022-06-30"))
	if v := value(t, rep, "trafik"); v != 2 { // a.csv (polisen, signed), d.csv (kommunen, SSH)
		t.Errorf("counted %v, want 2\n%s", v, messages(rep.Diags))
	}
	got := messages(rep.Diags)
	for _, want := range []string{
		"data/b.csv:2: posten räknas inte för löftet p (trust: strict): commit ",
		"(anna <anna@polisen.se>, 2022-01-12): commiten är inte signerad, och polisen kräver en signatur med en nyckel i rules/nycklar/polisen.asc",
		"data/c.csv:2: ", "commiten är inte signerad med någon nyckel i rules/nycklar/polisen.asc",
		"data/e.csv:2: ", "(bo <bo@mullsjo.se>, 2022-01-15): författaren hör inte till polisen",
		"data/f.csv:2: ", "commiten är inte signerad, och kommunen kräver en signatur med en nyckel i rules/nycklar/kommunen.pub",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if rep.Diags.Errors() != 4 {
		t.Errorf("%d errors, want 4:\n%s", rep.Diags.Errors(), got)
	}

	// A signers file that is missing: the party's records do not count.
	g.write("rules/p.yaml", strings.Replace(promise, "rules/nycklar/polisen.asc", "rules/nycklar/saknas.asc", 1))
	r, _ = g.load("")
	rep = r.Evaluate(calendar.Period{First: 2022, Last: 2022}, day("2022-06-30"))
	if got := messages(rep.Diags); !strings.Contains(got, "rules/p.yaml:5:3: parten polisen: nyckelfilen rules/nycklar/saknas.asc finns inte: partens poster räknas inte") ||
		value(t, rep, "trafik") != 1 {
		t.Errorf("missing key file:\n%s", got)
	}
}

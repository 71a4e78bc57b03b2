package source

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/crypto/ssh"
)

// NewPGPKey makes an OpenPGP key pair for tests, and its public key ring,
// armored.
func newPGPKey(t testing.TB, email string) (*openpgp.Entity, []byte) {
	t.Helper()
	e, err := openpgp.NewEntity("Test", "", email, &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return e, b.Bytes()
}

// newSSHKey makes an ed25519 SSH signer and an allowed-signers line for it.
func newSSHKey(t testing.TB, email string) (ssh.Signer, []byte) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, []byte(email + ` namespaces="git" ` + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.PublicKey()))) + "\n")
}

// sshCommitSigner signs commits through go-git's CommitOptions.Signer.
type sshCommitSigner struct{ s ssh.Signer }

func (g sshCommitSigner) Sign(message io.Reader) ([]byte, error) {
	b, err := io.ReadAll(message)
	if err != nil {
		return nil, err
	}
	return SignSSH(g.s, b)
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	g, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := g.Worktree()
	pgp, ring := newPGPKey(t, "signerare@polisen.se")
	_, otherRing := newPGPKey(t, "annan@example.org")
	sshKey, allowed := newSSHKey(t, "signerare@polisen.se")
	_, otherAllowed := newSSHKey(t, "annan@example.org")
	who := &object.Signature{Name: "Test", Email: "test@polisen.se", When: time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)}
	commit := func(msg string, o git.CommitOptions) string {
		writeFiles(t, dir, "data/x.csv", msg)
		if _, err := wt.Add("data/x.csv"); err != nil {
			t.Fatal(err)
		}
		o.Author = who
		h, err := wt.Commit(msg, &o)
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	plain := commit("osignerad", git.CommitOptions{})
	withPGP := commit("pgp", git.CommitOptions{SignKey: pgp})
	withSSH := commit("ssh", git.CommitOptions{Signer: sshCommitSigner{sshKey}})

	v, err := mustOpen(t, dir).Verifier()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for _, tc := range []struct {
		name, commit string
		keys         []byte
		err          error  // errors.Is
		msg          string // or a fragment of the message; both empty: no error
	}{
		{"pgp good", withPGP, ring, nil, ""},
		{"pgp other key", withPGP, otherRing, ErrUnknownKey, ""},
		{"pgp against ssh keys", withPGP, allowed, nil, "signerad med OpenPGP"},
		{"ssh good", withSSH, allowed, nil, ""},
		{"ssh other key", withSSH, otherAllowed, ErrUnknownKey, ""},
		{"ssh against pgp keys", withSSH, ring, nil, "signerad med SSH"},
		{"unsigned pgp", plain, ring, ErrUnsigned, ""},
		{"unsigned ssh", plain, allowed, ErrUnsigned, ""},
		{"ssh other namespace", withSSH, []byte(`x namespaces="file" ` + strings.SplitN(string(allowed), `"git" `, 2)[1]), nil, "ingen nyckel för git"},
		{"ssh bad option", withSSH, []byte(`x cert-authority ` + strings.SplitN(string(allowed), `"git" `, 2)[1]), nil, "cert-authority stöds inte"},
	} {
		err := v.Verify(tc.commit, tc.keys)
		switch {
		case tc.err == nil && tc.msg == "":
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		case tc.err != nil:
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
			}
		default:
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
			}
		}
	}

	// A commit whose content was changed after signing does not verify:
	// the signature covers the whole commit.
	var tampered bytes.Buffer
	sig, _ := SignSSH(sshKey, []byte("annat innehåll"))
	tampered.Write(sig)
	allowedKeys, err := ParseAllowedSigners(allowed)
	if err != nil {
		t.Fatal(err)
	}
	if err := verifySSH(tampered.String(), []byte("innehåll"), allowedKeys); err == nil || !strings.Contains(err.Error(), "stämmer inte") {
		t.Errorf("tampered: %v", err)
	}
}

// TestVerifyGitSSH checks a commit signed by git itself with an SSH key
// (gpg.format=ssh, which runs ssh-keygen -Y sign).
func TestVerifyGitSSH(t *testing.T) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen is not installed")
	}
	r := newTestRepo(t)
	key := filepath.Join(t.TempDir(), "nyckel")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	r.write("data/x.csv", "r1\n")
	r.git("add", "-A")
	r.git("-c", "gpg.format=ssh", "-c", "user.signingkey="+key+".pub", "commit", "-q", "-S", "-m", "signerad")
	v, err := mustOpen(t, r.dir).Verifier()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Verify(r.git("rev-parse", "HEAD"), append([]byte("test@example.org "), pub...)); err != nil {
		t.Errorf("git's SSH signature: %v", err)
	}
	_, other := newSSHKey(t, "annan@example.org")
	if err := v.Verify(r.git("rev-parse", "HEAD"), other); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("other key: %v", err)
	}
}

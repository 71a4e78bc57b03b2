package source

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/crypto/ssh"
)

// Verifier checks the signatures of commits against key files. It opens
// the repository once and remembers each answer; Close releases it. A
// Verifier is safe for concurrent use.
type Verifier struct {
	mu   sync.Mutex
	repo *git.Repository
	done func()
	top  string
	memo map[verifyKey]error
}

type verifyKey struct {
	commit string
	keys   [sha256.Size]byte
}

// Verifier returns a Verifier of the repository's commits.
func (r *Repo) Verifier() (*Verifier, error) {
	if r.top == "" {
		return nil, plainError(r.root, "signaturkontroll")
	}
	repo, done, err := r.open()
	if err != nil {
		return nil, err
	}
	return &Verifier{repo: repo, done: done, top: r.top, memo: map[verifyKey]error{}}, nil
}

// Close releases the repository.
func (v *Verifier) Close() {
	if v != nil && v.done != nil {
		v.done()
	}
}

// Errors of Verify, for callers that tell them apart.
var (
	ErrUnsigned   = errors.New("commiten är inte signerad")
	ErrUnknownKey = errors.New("signaturen är inte gjord med någon av nycklarna")
)

// IsOpenPGP reports whether a key file is an armored OpenPGP key ring
// (else it is read as an SSH allowed-signers file).
func IsOpenPGP(keys []byte) bool {
	return bytes.Contains(keys, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
}

// Verify checks that the commit hash is signed with one of keys: an
// armored OpenPGP key ring (checked with go-git's Commit.Verify) or an
// SSH allowed-signers file (the sshsig format that `git commit -S` with
// gpg.format=ssh writes, namespace "git"). nil means a good signature.
func (v *Verifier) Verify(hash string, keys []byte) error {
	k := verifyKey{commit: hash, keys: sha256.Sum256(keys)}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err, ok := v.memo[k]; ok {
		return err
	}
	err := v.verify(hash, keys)
	v.memo[k] = err
	return err
}

func (v *Verifier) verify(hash string, keys []byte) error {
	c, err := v.repo.CommitObject(plumbing.NewHash(hash))
	if err != nil {
		return readError(v.repo, v.top, "commit "+hash[:min(7, len(hash))], err)
	}
	sig := strings.TrimSpace(c.PGPSignature)
	switch {
	case sig == "":
		return ErrUnsigned
	case strings.HasPrefix(sig, "-----BEGIN SSH SIGNATURE-----"):
		if IsOpenPGP(keys) {
			return fmt.Errorf("commiten är signerad med SSH, men partens nycklar är OpenPGP-nycklar")
		}
		var obj plumbing.MemoryObject
		if err := c.EncodeWithoutSignature(&obj); err != nil {
			return err
		}
		rd, err := obj.Reader()
		if err != nil {
			return err
		}
		payload, err := io.ReadAll(rd)
		if err != nil {
			return err
		}
		allowed, err := ParseAllowedSigners(keys)
		if err != nil {
			return err
		}
		return verifySSH(sig, payload, allowed)
	case strings.HasPrefix(sig, "-----BEGIN PGP SIGNATURE-----"):
		if !IsOpenPGP(keys) {
			return fmt.Errorf("commiten är signerad med OpenPGP, men partens nycklar är SSH-nycklar")
		}
		if _, err := c.Verify(string(keys)); err != nil {
			return fmt.Errorf("%w (%v)", ErrUnknownKey, err)
		}
		return nil
	}
	return fmt.Errorf("commiten har en signatur av ett slag som lofte inte kan kontrollera (bara OpenPGP och SSH)")
}

// ParseAllowedSigners reads an SSH allowed-signers file (see ssh-keygen's
// ALLOWED SIGNERS): one key a line, after its principals and options.
// Only keys allowed for the namespace "git" are kept. Certificate
// authorities and validity intervals are not supported: such a line is
// an error rather than a key silently trusted too much.
func ParseAllowedSigners(data []byte) ([]ssh.PublicKey, error) {
	var keys []ssh.PublicKey
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := splitQuoted(line)
		at := -1
		for i, f := range fields {
			if i > 0 && isSSHKeyType(f) {
				at = i
				break
			}
		}
		if at < 0 || at+1 >= len(fields) {
			return nil, fmt.Errorf("rad %d: ingen nyckel (väntade principer, typ och nyckel, t.ex. namn@polisen.se ssh-ed25519 AAAA…)", n+1)
		}
		git := true
		for _, opt := range fields[1:at] {
			for _, o := range strings.Split(opt, ",") {
				name, val, _ := strings.Cut(o, "=")
				switch strings.ToLower(name) {
				case "namespaces":
					git = false
					for _, ns := range strings.Split(strings.Trim(val, `"`), ",") {
						git = git || ns == "git"
					}
				default:
					return nil, fmt.Errorf("rad %d: alternativet %s stöds inte: ange nyckeln själv", n+1, name)
				}
			}
		}
		if !git {
			continue
		}
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(fields[at] + " " + fields[at+1]))
		if err != nil {
			return nil, fmt.Errorf("rad %d: nyckeln kan inte läsas: %v", n+1, err)
		}
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("filen har ingen nyckel för git")
	}
	return keys, nil
}

func isSSHKeyType(s string) bool {
	return strings.HasPrefix(s, "ssh-") || strings.HasPrefix(s, "ecdsa-sha2-") || strings.HasPrefix(s, "sk-")
}

// splitQuoted splits a line at blanks outside double quotes.
func splitQuoted(s string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case (r == ' ' || r == '\t') && !quoted:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

const sshsigMagic = "SSHSIG"

// verifySSH checks an armored sshsig signature of payload made with one of
// allowed, in the namespace "git".
func verifySSH(armored string, payload []byte, allowed []ssh.PublicKey) error {
	body := strings.TrimSpace(armored)
	body = strings.TrimPrefix(body, "-----BEGIN SSH SIGNATURE-----")
	body, _, _ = strings.Cut(body, "-----END SSH SIGNATURE-----")
	blob, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body), ""))
	if err != nil {
		return fmt.Errorf("SSH-signaturen kan inte läsas: %v", err)
	}
	sig, err := parseSSHSig(blob)
	if err != nil {
		return fmt.Errorf("SSH-signaturen kan inte läsas: %v", err)
	}
	if sig.namespace != "git" {
		return fmt.Errorf("SSH-signaturen är gjord för %q, inte för git", sig.namespace)
	}
	pub, err := ssh.ParsePublicKey(sig.publicKey)
	if err != nil {
		return fmt.Errorf("SSH-signaturens nyckel kan inte läsas: %v", err)
	}
	known := false
	for _, k := range allowed {
		known = known || bytes.Equal(k.Marshal(), pub.Marshal())
	}
	if !known {
		return ErrUnknownKey
	}
	var digest []byte
	switch sig.hash {
	case "sha256":
		d := sha256.Sum256(payload)
		digest = d[:]
	case "sha512":
		d := sha512.Sum512(payload)
		digest = d[:]
	default:
		return fmt.Errorf("SSH-signaturen använder en okänd hashfunktion %q", sig.hash)
	}
	if sig.signature.Format == ssh.KeyAlgoRSA {
		return fmt.Errorf("SSH-signaturen använder SHA-1 (ssh-rsa), som inte godtas")
	}
	signed := sshsigSigned(sig.namespace, sig.hash, digest)
	if err := pub.Verify(signed, sig.signature); err != nil {
		return fmt.Errorf("SSH-signaturen stämmer inte med commiten: %v", err)
	}
	return nil
}

// sshsigSigned is the data an sshsig signature signs (PROTOCOL.sshsig).
func sshsigSigned(namespace, hash string, digest []byte) []byte {
	var b bytes.Buffer
	b.WriteString(sshsigMagic)
	for _, s := range [][]byte{[]byte(namespace), nil, []byte(hash), digest} {
		writeSSHString(&b, s)
	}
	return b.Bytes()
}

func writeSSHString(b *bytes.Buffer, s []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(s)))
	b.Write(n[:])
	b.Write(s)
}

type sshSig struct {
	publicKey []byte
	namespace string
	hash      string
	signature *ssh.Signature
}

// parseSSHSig reads the binary form of an sshsig signature.
func parseSSHSig(b []byte) (*sshSig, error) {
	rest, ok := bytes.CutPrefix(b, []byte(sshsigMagic))
	if !ok || len(rest) < 4 {
		return nil, errors.New("inte en SSHSIG")
	}
	if v := binary.BigEndian.Uint32(rest); v != 1 {
		return nil, fmt.Errorf("version %d", v)
	}
	rest = rest[4:]
	var parts [5][]byte
	for i := range parts {
		var err error
		if parts[i], rest, err = readSSHString(rest); err != nil {
			return nil, err
		}
	}
	var s ssh.Signature
	if err := ssh.Unmarshal(parts[4], &s); err != nil {
		return nil, err
	}
	return &sshSig{publicKey: parts[0], namespace: string(parts[1]), hash: string(parts[3]), signature: &s}, nil
}

func readSSHString(b []byte) (s, rest []byte, err error) {
	if len(b) < 4 {
		return nil, nil, errors.New("för kort")
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, errors.New("för kort")
	}
	return b[4 : 4+n], b[4+n:], nil
}

// SignSSH makes an armored sshsig signature of message in the namespace
// "git", as `ssh-keygen -Y sign -n git` does: what go-git's
// CommitOptions.Signer needs to sign a commit with an SSH key.
func SignSSH(signer ssh.Signer, message []byte) ([]byte, error) {
	digest := sha512.Sum512(message)
	data := sshsigSigned("git", "sha512", digest[:])
	var sig *ssh.Signature
	var err error
	if as, ok := signer.(ssh.AlgorithmSigner); ok && signer.PublicKey().Type() == ssh.KeyAlgoRSA {
		sig, err = as.SignWithAlgorithm(rand.Reader, data, ssh.KeyAlgoRSASHA512) // never SHA-1
	} else {
		sig, err = signer.Sign(rand.Reader, data)
	}
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(sshsigMagic)
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], 1)
	b.Write(v[:])
	for _, s := range [][]byte{signer.PublicKey().Marshal(), []byte("git"), nil, []byte("sha512"), ssh.Marshal(sig)} {
		writeSSHString(&b, s)
	}
	enc := base64.StdEncoding.EncodeToString(b.Bytes())
	var out bytes.Buffer
	out.WriteString("-----BEGIN SSH SIGNATURE-----\n")
	for len(enc) > 70 {
		out.WriteString(enc[:70] + "\n")
		enc = enc[70:]
	}
	out.WriteString(enc + "\n-----END SSH SIGNATURE-----\n")
	return out.Bytes(), nil
}

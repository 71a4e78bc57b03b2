package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// A signer seals small values into cookies with HMAC-SHA256 and an expiry,
// so that no session store is needed on the server: a cookie that was
// changed, or that has expired, opens to nothing.
type signer struct {
	key []byte
	now func() time.Time
}

// envelope is what a sealed cookie holds.
type envelope struct {
	Exp int64           `json:"exp"`
	V   json.RawMessage `json:"v"`
}

// seal returns v sealed until exp. purpose keeps a cookie made for one use
// (the sign-in flow) from being accepted for another (the session).
func (s signer) seal(purpose string, v any, exp time.Time) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(envelope{Exp: exp.Unix(), V: raw})
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(purpose, payload)), nil
}

// open reads a sealed value into v; false when the signature is wrong,
// the value has expired or does not decode.
func (s signer) open(purpose, sealed string, v any) bool {
	payload, sig, ok := strings.Cut(sealed, ".")
	if !ok {
		return false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(purpose, payload)) {
		return false
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return false
	}
	var e envelope
	if json.Unmarshal(body, &e) != nil || !s.now().Before(time.Unix(e.Exp, 0)) {
		return false
	}
	return json.Unmarshal(e.V, v) == nil
}

func (s signer) mac(purpose, payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// cookie returns an HttpOnly, SameSite=Lax cookie for the whole site. Lax,
// not Strict: a Strict cookie is not sent on the identity provider's
// redirect back to /auth/callback.
func cookie(name, value string, maxAge time.Duration, secure bool) *http.Cookie {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/",
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
		MaxAge: int(maxAge / time.Second),
	}
	if maxAge <= 0 {
		c.MaxAge = -1
	}
	return c
}

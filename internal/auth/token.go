package auth

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

// person exchanges the code and reads the person from the ID token. On
// failure it returns a Swedish reason for the failure page.
func (o *OIDC) person(r *http.Request, iss *issuer, f flow) (Person, string) {
	ctx := o.context(r.Context())
	tok, err := iss.oauth.Exchange(ctx, r.URL.Query().Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return Person{}, "Inloggningstjänsten godtog inte inloggningen. Börja om."
	}
	raw, _ := tok.Extra("id_token").(string)
	c, err := o.verify(ctx, iss, raw, f.Nonce)
	if err != nil {
		return Person{}, "Inloggningstjänstens svar kunde inte bekräftas. Börja om."
	}
	p, ok := personFrom(iss, c)
	if !ok {
		return Person{}, "Inloggningstjänsten gav ingen bekräftad e-postadress, så lofte kan inte avgöra vilken part du hör till. Be den som administrerar ditt konto att bekräfta e-postadressen."
	}
	return p, ""
}

// verify checks the ID token's signature, issuer, audience and expiry with
// the issuer's verifier, and its nonce, which the verifier leaves to us.
func (o *OIDC) verify(ctx context.Context, iss *issuer, raw, nonce string) (claims, error) {
	var c claims
	if raw == "" {
		return c, errNoIDToken
	}
	t, err := iss.verifier.Verify(ctx, raw)
	if err != nil {
		return c, err
	}
	if !sameString(t.Nonce, nonce) {
		return c, errNonce
	}
	if err := t.Claims(&c); err != nil {
		return c, err
	}
	return c, nil
}

// setSession sets the signed session cookie.
func (o *OIDC) setSession(w http.ResponseWriter, iss *issuer, p Person) {
	sealed, err := o.sign.seal(sessionCookie, session{Issuer: iss.url, Person: p}, o.sign.now().Add(o.ttl))
	if err != nil {
		return
	}
	http.SetCookie(w, cookie(sessionCookie, sealed, o.ttl, o.secure))
}

// logout clears the session cookie. The person stays signed in at the
// identity provider, so signing in again may not ask for a password.
func (o *OIDC) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, cookie(sessionCookie, "", 0, o.secure))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// issuerByURL returns the configured issuer with that URL, or nil.
func (o *OIDC) issuerByURL(u string) *issuer {
	for _, iss := range o.issuers {
		if iss.url == u {
			return iss
		}
	}
	return nil
}

var (
	errNoIDToken = errors.New("no id_token in the token response")
	errNonce     = errors.New("the ID token's nonce is not this sign-in's")
)

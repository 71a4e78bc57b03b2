// Package auth signs people in to lofte serve: from a header set by a
// trusted authenticating proxy, or with OpenID Connect (authorization code
// with PKCE) against one or more issuers, such as the Microsoft Entra ID
// tenants of the Police and of a municipality. See docs/reference.md §12.
//
// The e-mail address of a Person decides which parties they belong to, so
// it comes only from a source that vouches for it: a header honoured only
// from the proxy's own addresses, or an ID token claim the issuer has
// verified (docs/design.md, "Sign-in"). OpenID Connect sessions live in a
// signed cookie; the server keeps no session store.
package auth

import "net/http"

// Person is a signed-in person.
type Person struct {
	// Email is the lower-case e-mail address that party membership is
	// decided by (the authors patterns of docs/reference.md §2). It comes
	// only from a source the configuration trusts.
	Email string
	// Name is for display and for the author of commits; Email when the
	// sign-in gave no name.
	Name string
	// Key identifies the person stably across changes of name and e-mail
	// (issuer and subject for OpenID Connect).
	Key string
}

// Method is a way of signing in.
type Method interface {
	// Identify returns the person signed in on r, if any.
	Identify(r *http.Request) (Person, bool)
	// Handler serves the sign-in routes under /auth/: /auth/login,
	// /auth/callback and /auth/logout.
	Handler() http.Handler
}

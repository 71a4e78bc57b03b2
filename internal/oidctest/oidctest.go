// Package oidctest runs a real OpenID Connect provider (mockoidc) in the
// test process, for the sign-in tests of the server and the command.
package oidctest

import (
	"net"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
)

// Start runs a provider on 127.0.0.1 until the test ends.
func Start(t testing.TB) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

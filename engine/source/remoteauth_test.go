package source

import (
	"testing"

	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

func TestRemoteAuthMethod(t *testing.T) {
	for _, tc := range []struct {
		auth RemoteAuth
		url  string
		want string // "" none, "basic USER", "error"
	}{
		{RemoteAuth{}, "https://github.com/x/y.git", ""},
		{RemoteAuth{Token: "t"}, "https://github.com/x/y.git", "basic x-access-token"},
		{RemoteAuth{Token: "t", User: "oauth2"}, "https://gitlab.com/x/y.git", "basic oauth2"},
		{RemoteAuth{Token: "t"}, "/srv/git/loften.git", ""},
		{RemoteAuth{SSHKey: "/nonexistent/key"}, "git@github.com:x/y.git", "error"},
		{RemoteAuth{SSHKey: "/nonexistent/key"}, "file:///srv/git/loften.git", ""},
	} {
		m, err := tc.auth.method(tc.url)
		got := ""
		switch {
		case err != nil:
			got = "error"
		case m != nil:
			if b, ok := m.(*githttp.BasicAuth); ok {
				got = "basic " + b.Username
			} else {
				got = m.Name()
			}
		}
		if got != tc.want {
			t.Errorf("%+v %s: %q, want %q", tc.auth, tc.url, got, tc.want)
		}
	}
}

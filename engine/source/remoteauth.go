package source

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
)

// RemoteAuth is how to sign in to the upstream when fetching and pushing.
// The zero value signs in as git's defaults do for a path or file://
// remote (none), and with the SSH agent for an ssh:// or user@host: remote.
type RemoteAuth struct {
	// Token is a personal or project access token for an https:// remote,
	// sent as the password of HTTP basic authentication (GitHub and GitLab
	// refuse it as a bearer token); User is the user name sent with it
	// ("x-access-token" when empty).
	Token, User string
	// SSHKey is the file of a private key (a deploy key) for an SSH
	// remote, instead of the SSH agent.
	SSHKey string
}

// SetRemoteAuth sets how Fetch and Push sign in to the upstream.
func (r *Repo) SetRemoteAuth(a RemoteAuth) { r.remote = a }

// method is the go-git authentication for url; nil means git's default.
func (a RemoteAuth) method(url string) (transport.AuthMethod, error) {
	isHTTP := strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://")
	switch {
	case isHTTP && a.Token != "":
		user := a.User
		if user == "" {
			user = "x-access-token"
		}
		return &githttp.BasicAuth{Username: user, Password: a.Token}, nil
	case !isHTTP && a.SSHKey != "" && !strings.HasPrefix(url, "file://") && !strings.HasPrefix(url, "/"):
		user := "git"
		if at := strings.Index(url, "@"); at > 0 && !strings.Contains(url[:at], "/") {
			user = strings.TrimPrefix(url[:at], "ssh://")
		}
		keys, err := gitssh.NewPublicKeysFromFile(user, a.SSHKey, "")
		if err != nil {
			return nil, fmt.Errorf("SSH-nyckeln %s kunde inte läsas: %v", a.SSHKey, err)
		}
		return keys, nil
	}
	return nil, nil
}

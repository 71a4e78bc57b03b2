package main

// The certificate authorities that lofte serve trusts when it signs users
// in (OpenID Connect over HTTPS), for machines and containers without a
// certificate store of their own: the release image is built FROM scratch
// (Dockerfile). They are used only when the system has none.
import _ "golang.org/x/crypto/x509roots/fallback"

package auth

import (
	"bytes"
	"net/url"
	"strings"
)

// entraHost is the host of Microsoft Entra ID's issuers,
// https://login.microsoftonline.com/{tenant}/v2.0.
const entraHost = "login.microsoftonline.com"

// claims are the ID token claims sign-in reads.
type claims struct {
	Subject       string   `json:"sub"`
	Email         string   `json:"email"`
	EmailVerified flexBool `json:"email_verified"`
	Name          string   `json:"name"`
	Username      string   `json:"preferred_username"`
	// Entra ID: tenant, object id, user principal name and "e-mail domain
	// owner verified".
	TID  string   `json:"tid"`
	OID  string   `json:"oid"`
	UPN  string   `json:"upn"`
	EDOV flexBool `json:"xms_edov"`
}

// flexBool is a boolean claim that some issuers send as a string or a
// number: true, "true", 1 and "1" are true; anything else is false.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := string(bytes.Trim(data, `"`))
	*b = flexBool(s == "true" || s == "1")
	return nil
}

// membershipEmail returns the e-mail address party membership is decided
// by, taken only from a claim the issuer vouches for (docs/design.md,
// "Sign-in"):
//   - a generic issuer: email, when email_verified is true;
//   - Entra ID: email, when xms_edov is true (the tenant owns the domain);
//     otherwise upn, unless it is a guest's (#EXT#): Entra accepts a
//     member's user principal name only in a domain the tenant has
//     verified, and a domain is verified in one tenant only.
func membershipEmail(c claims, entra bool) (string, bool) {
	if !entra {
		if !c.EmailVerified {
			return "", false
		}
		return normalEmail(c.Email)
	}
	if c.EDOV && c.Email != "" {
		return normalEmail(c.Email)
	}
	if c.UPN == "" || strings.Contains(strings.ToUpper(c.UPN), "#EXT#") {
		return "", false
	}
	return normalEmail(c.UPN)
}

// personFrom builds the person from an issuer's verified claims.
func personFrom(iss *issuer, c claims) (Person, bool) {
	email, ok := membershipEmail(c, iss.entra)
	if !ok {
		return Person{}, false
	}
	key := iss.url + "|" + c.Subject
	if iss.entra && c.TID != "" && c.OID != "" {
		// sub is per application in Entra; tid and oid name the person in
		// every application.
		key = "entra|" + c.TID + "|" + c.OID
	}
	name := c.Name
	if name == "" {
		name = c.Username
	}
	return Person{Email: email, Name: cleanName(name, email), Key: key}, true
}

// isEntra tells whether an issuer URL is Microsoft Entra ID's.
func isEntra(u *url.URL) bool {
	return strings.EqualFold(u.Hostname(), entraHost)
}

// Package trust decides whether a record may count for a promise with
// `trust: strict`: whether the commit that added it was made by one of the
// parties the record names, as the promise declares them (the authors'
// e-mail addresses or patterns, and the keys that must have signed).
//
// A party that declares neither authors nor signers restricts nothing. A
// record that names restricted parties counts when its commit satisfies
// at least one of them: a joint activity (by: [polisen, kommunen]) may be
// recorded by either party. A record that is not committed has no commit
// to vouch for it and does not count.
package trust

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
)

// Verify checks that a commit is signed with one of keys (the content of
// a party's signers file); nil means a good signature.
// source.Verifier.Verify is one.
type Verify func(commit string, keys []byte) error

// Policy is who may record for the parties of one promise.
type Policy struct {
	Promise *promise.Promise
	parties map[string]*party
}

type party struct {
	promise.Party
	keys    []byte // the signers file, nil when it could not be read
	keysErr string
}

// NewPolicy reads the policy of a strict promise. file looks up a file of
// the snapshot by path (the signers files are under rules/). A signers
// file that is missing or holds no key is a problem at the party's place;
// records of that party then do not count.
func NewPolicy(p *promise.Promise, file func(path string) ([]byte, bool)) (*Policy, diag.List) {
	pol := &Policy{Promise: p, parties: map[string]*party{}}
	var errs diag.List
	for _, pt := range p.Parties {
		if !pt.Restricted() {
			continue
		}
		pp := &party{Party: pt}
		if pt.Signers != "" {
			data, ok := file(pt.Signers)
			switch {
			case !ok:
				pp.keysErr = fmt.Sprintf("nyckelfilen %s finns inte", pt.Signers)
			case !source.IsOpenPGP(data):
				if _, err := source.ParseAllowedSigners(data); err != nil {
					pp.keysErr = fmt.Sprintf("nyckelfilen %s: %v", pt.Signers, err)
				}
			}
			if pp.keysErr != "" {
				errs.Add(pt.Pos, "signers ska vara en fil med partens nycklar: en armerad OpenPGP-nyckelring eller en allowed_signers-fil för SSH",
					"parten %s: %s: partens poster räknas inte", pt.ID, pp.keysErr)
			} else {
				pp.keys = data
			}
		}
		pol.parties[pt.ID] = pp
	}
	return pol, errs
}

// Judge says why a record that names the parties by, added by commit c
// (nil when it is not committed), does not count; "" when it counts.
func (pol *Policy) Judge(by []string, c *source.Commit, verify Verify) string {
	var restricted []*party
	for _, id := range by {
		if pp := pol.parties[id]; pp != nil {
			restricted = append(restricted, pp)
		}
	}
	if len(restricted) == 0 {
		return ""
	}
	if c == nil {
		return "posten är inte incheckad, och med trust: strict räknas bara poster i en commit av parten"
	}
	var why []string
	for _, pp := range restricted {
		reason := pp.allows(c, verify)
		if reason == "" {
			return ""
		}
		why = append(why, reason)
	}
	return strings.Join(why, "; ")
}

// allows says why party pp did not make commit c; "" when it did.
func (pp *party) allows(c *source.Commit, verify Verify) string {
	if len(pp.Authors) > 0 && !Matches(pp.Authors, c.Email) {
		return fmt.Sprintf("författaren hör inte till %s (authors: %s)", pp.ID, strings.Join(pp.Authors, ", "))
	}
	if pp.Signers == "" {
		return ""
	}
	if pp.keys == nil {
		return fmt.Sprintf("%s har ingen nyckel att kontrollera med (%s)", pp.ID, pp.keysErr)
	}
	err := verify(c.Hash, pp.keys)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, source.ErrUnsigned):
		return fmt.Sprintf("commiten är inte signerad, och %s kräver en signatur med en nyckel i %s", pp.ID, pp.Signers)
	case errors.Is(err, source.ErrUnknownKey):
		return fmt.Sprintf("commiten är inte signerad med någon nyckel i %s", pp.Signers)
	}
	return fmt.Sprintf("signaturen kunde inte godtas för %s: %v", pp.ID, err)
}

// Matches reports whether email matches one of patterns: addresses or
// shell patterns (*@polisen.se), compared without regard to case.
func Matches(patterns []string, email string) bool {
	email = strings.ToLower(strings.TrimSpace(email))
	return slices.ContainsFunc(patterns, func(p string) bool {
		ok, err := path.Match(strings.ToLower(p), email)
		return err == nil && ok
	})
}

// Restricted reports whether the policy restricts any party.
func (pol *Policy) Restricted() bool { return len(pol.parties) > 0 }

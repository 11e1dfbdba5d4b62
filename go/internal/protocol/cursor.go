package protocol

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/riverqueue/river"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// A pyriver cursor is River's own cursor text (base64 of River's JSON), with
// one more JSON member River ignores: a fingerprint of the listing that
// produced it (its filters and order). Go's JobListCursor.UnmarshalText
// reads it as River's; pyriver reads River's cursors from Go too. River would
// silently accept a cursor from a differently ordered or filtered listing
// and return a wrong page; the fingerprint, when present, turns that mistake
// into an error.
const fingerprintMember = "pyriver_listing"

// fingerprint identifies a listing by everything except where it starts and
// how many jobs a page holds.
func (req *JobListRequest) fingerprint() string {
	listing := *req
	listing.After, listing.Limit, listing.Scope = "", nil, Scope{}
	encoded, _ := json.Marshal(listing) //nolint:errchkjson // plain strings and ints always marshal
	sum := sha256.Sum256(encoded)
	return hex.EncodeToString(sum[:8])
}

func encodeCursor(cursor *river.JobListCursor, fingerprint string) (string, error) {
	riverText, err := cursor.MarshalText()
	if err != nil {
		return "", err
	}
	members, err := cursorMembers(string(riverText))
	if err != nil {
		return "", err
	}
	members[fingerprintMember], err = json.Marshal(fingerprint)
	if err != nil {
		return "", err
	}
	encoded, err := json.Marshal(members)
	if err != nil {
		return "", err
	}
	return base64.URLEncoding.EncodeToString(encoded), nil
}

func decodeCursor(text, fingerprint string) (*river.JobListCursor, error) {
	invalid := apierr.Invalid("after", "not a job_list cursor (from pyriver or River's JobListCursor)")
	members, err := cursorMembers(text)
	if err != nil {
		return nil, invalid
	}
	if made, ok := members[fingerprintMember]; ok {
		var madeFor string
		if json.Unmarshal(made, &madeFor) != nil || madeFor != fingerprint {
			return nil, apierr.Invalid("after", "cursor comes from a listing with different filters or order; resume with the same filters and order it was returned for")
		}
	}
	cursor := &river.JobListCursor{}
	if err := cursor.UnmarshalText([]byte(text)); err != nil {
		return nil, invalid
	}
	return cursor, nil
}

// cursorMembers decodes River's cursor text into its JSON object's members.
func cursorMembers(text string) (map[string]json.RawMessage, error) {
	raw, err := base64.URLEncoding.DecodeString(text)
	if err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, err
	}
	if _, ok := members["id"]; !ok {
		return nil, errors.New("no job id in cursor")
	}
	return members, nil
}

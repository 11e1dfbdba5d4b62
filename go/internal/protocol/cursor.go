package protocol

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"

	"github.com/riverqueue/river"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// A pyriver cursor is River's own cursor plus a fingerprint of the listing
// that produced it (its filters and order). River would silently accept a
// cursor from a differently ordered or filtered listing and return a wrong
// page; the fingerprint turns that mistake into an error.
type cursorWire struct {
	River       string `json:"r"`
	Fingerprint string `json:"f"`
}

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
	encoded, err := json.Marshal(cursorWire{River: string(riverText), Fingerprint: fingerprint})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(encoded), nil
}

func decodeCursor(text, fingerprint string) (*river.JobListCursor, error) {
	invalid := apierr.Invalid("after", "not a cursor returned by job_list")
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return nil, invalid
	}
	var wire cursorWire
	if err := json.Unmarshal(raw, &wire); err != nil || wire.River == "" {
		return nil, invalid
	}
	if wire.Fingerprint != fingerprint {
		return nil, apierr.Invalid("after", "cursor comes from a listing with different filters or order; resume with the same filters and order it was returned for")
	}
	cursor := &river.JobListCursor{}
	if err := cursor.UnmarshalText([]byte(wire.River)); err != nil {
		return nil, invalid
	}
	return cursor, nil
}

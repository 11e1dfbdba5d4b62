package protocol

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

func TestFingerprintIgnoresPagingButNotFilters(t *testing.T) {
	limit := 10
	base := JobListRequest{JobFilters: JobFilters{Kinds: []string{"a"}}, OrderBy: "id"}
	paged := base
	paged.After, paged.Limit, paged.Scope = "cursor", &limit, Scope{Client: 7}
	if base.fingerprint() != paged.fingerprint() {
		t.Fatal("limit, cursor and client must not change a listing's fingerprint")
	}
	other := base
	other.Kinds = []string{"b"}
	reordered := base
	reordered.Order = "desc"
	if base.fingerprint() == other.fingerprint() || base.fingerprint() == reordered.fingerprint() {
		t.Fatal("filters and order must change a listing's fingerprint")
	}
}

func TestDecodeCursorRejectsForeignAndMalformedCursors(t *testing.T) {
	for _, text := range []string{"", "!!!", "bm90IGpzb24"} {
		if _, err := decodeCursor(text, "f"); !isInvalid(err, "after") {
			t.Errorf("cursor %q: want invalid 'after', got %v", text, err)
		}
	}
	cursor := &river.JobListCursor{}
	riverText := base64.URLEncoding.EncodeToString([]byte(`{"id":1,"kind":"k","queue":"q","sort_field":"id","time":"0001-01-01T00:00:00Z"}`))
	if err := cursor.UnmarshalText([]byte(riverText)); err != nil {
		t.Fatal(err)
	}
	encoded, err := encodeCursor(cursor, "mine")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeCursor(encoded, "mine"); err != nil {
		t.Fatalf("own cursor rejected: %v", err)
	}
	if _, err := decodeCursor(encoded, "theirs"); !isInvalid(err, "after") {
		t.Fatalf("foreign cursor accepted: %v", err)
	}
	// River reads pyriver's cursor, and pyriver reads River's.
	fromPyriver := &river.JobListCursor{}
	if err := fromPyriver.UnmarshalText([]byte(encoded)); err != nil {
		t.Fatalf("River rejects pyriver's cursor: %v", err)
	}
	if _, err := decodeCursor(riverText, "any listing"); err != nil {
		t.Fatalf("River's own cursor rejected: %v", err)
	}
}

func isInvalid(err error, param string) bool {
	var apiErr *apierr.Error
	return errors.As(err, &apiErr) && apiErr.Code == apierr.InvalidArgument && apiErr.Param == param
}

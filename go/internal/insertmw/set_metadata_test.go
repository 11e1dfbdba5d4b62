package insertmw

import (
	"context"
	"testing"

	"github.com/riverqueue/river/rivertype"
)

func TestSetMetadataAddsKeysAndKeepsTheRest(t *testing.T) {
	calls := 0
	ctx := WithMetadata(context.Background(), map[string]string{"traceparent": "00-abc-def-01"})
	params := []*rivertype.JobInsertParams{{Metadata: []byte(`{"tenant":"acme","traceparent":"old"}`)}, {}}
	if _, err := (&SetMetadata{}).InsertMany(ctx, params, inner(&calls)); err != nil || calls != 1 {
		t.Fatalf("err %v, inner calls %d", err, calls)
	}
	if got := string(params[0].Metadata); got != `{"tenant":"acme","traceparent":"00-abc-def-01"}` {
		t.Fatalf("metadata %s", got)
	}
	if got := string(params[1].Metadata); got != `{"traceparent":"00-abc-def-01"}` {
		t.Fatalf("metadata of a job without any %s", got)
	}
}

func TestSetMetadataPassesThroughWithoutKeys(t *testing.T) {
	calls := 0
	params := []*rivertype.JobInsertParams{{Metadata: []byte(`{"b":1, "a":2}`)}}
	if _, err := (&SetMetadata{}).InsertMany(WithMetadata(context.Background(), nil), params, inner(&calls)); err != nil || calls != 1 {
		t.Fatalf("err %v, inner calls %d", err, calls)
	}
	if string(params[0].Metadata) != `{"b":1, "a":2}` {
		t.Fatalf("metadata changed: %s", params[0].Metadata)
	}
}

func TestSetMetadataLeavesMetadataThatIsNotAnObject(t *testing.T) {
	calls := 0
	ctx := WithMetadata(context.Background(), map[string]string{"k": "v"})
	params := []*rivertype.JobInsertParams{{Metadata: []byte(`[1]`)}}
	if _, err := (&SetMetadata{}).InsertMany(ctx, params, inner(&calls)); err != nil || calls != 1 {
		t.Fatalf("err %v, inner calls %d", err, calls)
	}
	if string(params[0].Metadata) != `[1]` {
		t.Fatalf("metadata changed: %s", params[0].Metadata)
	}
}

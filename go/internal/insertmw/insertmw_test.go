package insertmw

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river/rivertype"
)

func inner(calls *int) func(context.Context) ([]*rivertype.JobInsertResult, error) {
	return func(context.Context) ([]*rivertype.JobInsertResult, error) {
		*calls++
		return []*rivertype.JobInsertResult{{}}, nil
	}
}

func TestPassesThroughWithoutAMode(t *testing.T) {
	calls := 0
	if _, err := (&Middleware{}).InsertMany(context.Background(), []*rivertype.JobInsertParams{{}}, inner(&calls)); err != nil || calls != 1 {
		t.Fatalf("err %v, inner calls %d", err, calls)
	}
}

func TestCaptureStopsBeforeInserting(t *testing.T) {
	calls := 0
	ctx, captured := WithCapture(context.Background())
	params := []*rivertype.JobInsertParams{{Kind: "k"}}
	if _, err := (&Middleware{}).InsertMany(ctx, params, inner(&calls)); !errors.Is(err, ErrCaptured) || calls != 0 {
		t.Fatalf("err %v, inner calls %d", err, calls)
	}
	if got := captured(); len(got) != 1 || got[0].Kind != "k" {
		t.Fatalf("captured %+v", got)
	}
}

func TestOverridesReplaceFilledParams(t *testing.T) {
	calls := 0
	ctx := WithOverrides(context.Background(), []*rivertype.JobInsertParams{{Kind: "new", Queue: "q2", Priority: 3}})
	params := []*rivertype.JobInsertParams{{Kind: "old", Queue: "q1", Priority: 1, UniqueKey: []byte("key")}}
	if _, err := (&Middleware{}).InsertMany(ctx, params, inner(&calls)); err != nil || calls != 1 {
		t.Fatalf("err %v, inner calls %d", err, calls)
	}
	if p := params[0]; p.Kind != "new" || p.Queue != "q2" || p.Priority != 3 || string(p.UniqueKey) != "key" {
		t.Fatalf("params not overridden as expected: %+v", p)
	}
	ctx = WithOverrides(context.Background(), nil)
	if _, err := (&Middleware{}).InsertMany(ctx, params, inner(&calls)); err == nil {
		t.Fatal("a changed number of jobs must be refused")
	}
}

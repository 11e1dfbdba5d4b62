package engine

import (
	"context"
	"testing"
	"time"
)

// A transaction that cannot get a connection gives up after the operation
// timeout, and leaves nothing held: the next one opens once the first ends.
func TestBeginGivesUpAfterTheOperationTimeout(t *testing.T) {
	ctx := context.Background()
	client := openSQLite(ctx, t, &Config{OperationTimeout: 200 * time.Millisecond})
	first, err := client.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	if _, err := client.Begin(ctx); err == nil {
		t.Fatal("a second transaction opened while SQLite's one connection is held")
	}
	if waited := time.Since(started); waited > 2*time.Second {
		t.Fatalf("gave up after %s", waited)
	}
	if err := first.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	second, err := client.Begin(ctx)
	if err != nil {
		t.Fatalf("after the first ended: %v", err)
	}
	if err := second.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// A caller that stops waiting (Ctrl-C in Python) gets its context's error.
func TestBeginEndsWithItsContext(t *testing.T) {
	ctx := context.Background()
	client := openSQLite(ctx, t, &Config{})
	first, err := client.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = first.Rollback(ctx) }()
	waiting, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := client.Begin(waiting); err == nil {
		t.Fatal("opened while the connection is held")
	}
}

package appconn

import (
	"context"
	"database/sql"
	"runtime"
	"testing"
	"time"
)

// BenchmarkSessionOneQuery is an operation with one statement, taken by a
// caller whose goroutine is locked to its thread, as a call from Python is,
// and that spends 200 µs running the statement.
func BenchmarkSessionOneQuery(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for b.Loop() {
		session := start(b, Dialect{Pyformat: true}, func(ctx context.Context, tx *sql.Tx) []byte {
			var n int64
			_ = tx.QueryRowContext(ctx, "SELECT $1", 1).Scan(&n)
			return nil
		})
		session.Next()
		for started := time.Now(); time.Since(started) < 200*time.Microsecond; { //nolint:revive // Python running the statement
		}
		session.Reply(&Reply{Columns: []string{"n"}, OIDs: []uint32{20}, Rows: [][]any{{"1"}}})
	}
}

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

// BenchmarkDecodeInsertManyReply decodes the reply of River's insert of
// 1,000 jobs: the rows PostgreSQL returns, in text format.
func BenchmarkDecodeInsertManyReply(b *testing.B) {
	row := []any{
		"1", `{"n": 1}`, "0", nil, "{}", "2026-12-02 19:18:41.600752+00", "{}", nil, "bench", "25", "{}", "1",
		"default", "available", "2026-12-02 19:18:41.600752+00", `{"a,b"}`, `\x0102`, "00001111", "f",
	}
	oids := []uint32{20, 3802, 21, 1184, 1009, 1184, 3807, 1184, 25, 21, 3802, 21, 25, 99999, 1184, 1015, 17, 1560, 16}
	rows := make([][]any, 1000)
	for i := range rows {
		rows[i] = row
	}
	for b.Loop() {
		reply := &Reply{Columns: make([]string, len(row)), OIDs: oids, Rows: rows}
		if err := reply.decode(Dialect{}); err != nil {
			b.Fatal(err)
		}
	}
}

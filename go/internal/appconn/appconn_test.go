package appconn

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestToPyformat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT $1, $2, $1", "SELECT %(p1)s, %(p2)s, %(p1)s"},
		{"SELECT '$1 %', $1 % 2", "SELECT '$1 %%', %(p1)s %% 2"},
		{`SELECT "a$1" FROM t WHERE x = $10`, `SELECT "a$1" FROM t WHERE x = %(p10)s`},
		{"SELECT 1 -- $1 %\n, $1", "SELECT 1 -- $1 %%\n, %(p1)s"},
		{"SELECT /* $2 */ $2", "SELECT /* $2 */ %(p2)s"},
		{"DO $body$ SELECT $1 $body$; SELECT $1", "DO $body$ SELECT $1 $body$; SELECT %(p1)s"},
		{"SELECT $$ $1 $$, $1", "SELECT $$ $1 $$, %(p1)s"},
		{"SELECT price$", "SELECT price$"},
	} {
		if got := toPyformat(tc.in); got != tc.want {
			t.Errorf("toPyformat(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for range 2 { // rewritten, then remembered
			if got := pyformatted(tc.in); got != tc.want {
				t.Errorf("pyformatted(%q) = %q, want %q", tc.in, got, tc.want)
			}
		}
	}
}

// The cache of rewritten queries stops growing at its limit, and queries
// past it are still rewritten.
func TestPyformattedRemembersBoundedly(t *testing.T) {
	for i := range pyformatCacheLimit + 10 {
		query := fmt.Sprintf("SELECT $1 + %d", i)
		if got, want := pyformatted(query), toPyformat(query); got != want {
			t.Fatalf("pyformatted(%q) = %q, want %q", query, got, want)
		}
	}
	remembered := 0
	pyformatCache.queries.Range(func(any, any) bool { remembered++; return true })
	if remembered > pyformatCacheLimit {
		t.Fatalf("%d queries remembered, more than %d", remembered, pyformatCacheLimit)
	}
}

func TestPostgresTextValuesDecodeAsPgxWould(t *testing.T) {
	reply := &Reply{
		Columns: []string{"id", "at", "key", "tags", "state", "ok"},
		OIDs:    []uint32{20, 1184, 17, 1009, 99999, 16},
		Rows:    [][]any{{"42", "2026-11-29 15:00:00.123456+05:30", `\x0102ff`, `{a,"b c"}`, "available", "t"}},
	}
	if err := reply.decode(Dialect{}); err != nil {
		t.Fatal(err)
	}
	row := reply.values[0]
	if row[0] != int64(42) {
		t.Errorf("int8: %#v", row[0])
	}
	at, ok := row[1].(time.Time)
	if !ok || !at.Equal(time.Date(2026, 11, 29, 9, 30, 0, 123456000, time.UTC)) {
		t.Errorf("timestamptz: %#v", row[1])
	}
	if key, ok := row[2].([]byte); !ok || string(key) != "\x01\x02\xff" {
		t.Errorf("bytea: %#v", row[2])
	}
	if row[3] != `{a,"b c"}` || row[4] != "available" || row[5] != true {
		t.Errorf("text forms: %#v", row[3:])
	}
}

func TestSQLiteValues(t *testing.T) {
	reply := &Reply{
		Columns: []string{"created_at", "n", "unique_key", "note_at_all"},
		Rows:    [][]any{{"2026-11-29 15:00:00.5", json.Number("7"), map[string]any{"bytes": "AQI="}, "x"}},
	}
	if err := reply.decode(Dialect{SQLite: true}); err != nil {
		t.Fatal(err)
	}
	row := reply.values[0]
	if at, ok := row[0].(time.Time); !ok || !at.Equal(time.Date(2026, 11, 29, 15, 0, 0, 500000000, time.UTC)) {
		t.Errorf("time: %#v", row[0])
	}
	if row[1] != int64(7) || string(row[2].([]byte)) != "\x01\x02" || row[3] != "x" {
		t.Errorf("values: %#v", row)
	}
}

// start starts a session, failing the test if it cannot.
func start(t testing.TB, dialect Dialect, operation Operation) *Session {
	t.Helper()
	session, err := Start(dialect, operation)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(session.Close)
	return session
}

// A session's statements reach the caller one at a time, in the
// connection's placeholder style, and its rows reach database/sql.
func TestSessionHandsStatementsToTheCaller(t *testing.T) {
	session := start(t, Dialect{Pyformat: true}, func(ctx context.Context, tx *sql.Tx) []byte {
		var name string
		var at time.Time
		if err := tx.QueryRowContext(ctx, "SELECT name, at FROM t WHERE id = $1 AND b = $2", 5, []byte{1}).Scan(&name, &at); err != nil {
			return []byte(err.Error())
		}
		if _, err := tx.ExecContext(ctx, "UPDATE t SET at = $1", at); err != nil {
			return []byte(err.Error())
		}
		return []byte(name)
	})
	step := session.Next()
	if step.Statement == nil || step.Statement.SQL != "SELECT name, at FROM t WHERE id = %(p1)s AND b = %(p2)s" {
		t.Fatalf("first statement: %#v", step)
	}
	if step.Statement.Args[0] != int64(5) {
		t.Errorf("args: %#v", step.Statement.Args)
	}
	step = session.Reply(&Reply{Columns: []string{"name", "at"}, OIDs: []uint32{25, 1184}, Rows: [][]any{{"ada", "2026-01-02 03:04:05+00"}}})
	if step.Statement == nil || !strings.HasPrefix(step.Statement.SQL, "UPDATE") {
		t.Fatalf("second statement: %#v", step)
	}
	if at, ok := step.Statement.Args[0].(map[string]int64); !ok || at["time"] != time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixMicro() {
		t.Errorf("time arg: %#v", step.Statement.Args[0])
	}
	step = session.Reply(&Reply{RowsAffected: 1})
	if step.Statement != nil || string(step.Result) != "ada" {
		t.Fatalf("result: %#v", step)
	}
}

func TestCloseEndsAWaitingOperation(t *testing.T) {
	var result []byte
	session := start(t, Dialect{}, func(ctx context.Context, tx *sql.Tx) []byte {
		_, err := tx.ExecContext(ctx, "DELETE FROM t")
		result = []byte(err.Error())
		return result
	})
	if step := session.Next(); step.Statement == nil {
		t.Fatal("expected a statement")
	}
	session.Close() // waits for the operation to return
	if !strings.Contains(string(result), "abandoned") && !strings.Contains(string(result), "canceled") {
		t.Fatalf("after close: %q", result)
	}
}

func TestDatabaseErrorsReachTheOperation(t *testing.T) {
	session := start(t, Dialect{SQLite: true}, func(ctx context.Context, tx *sql.Tx) []byte {
		_, err := tx.ExecContext(ctx, "INSERT INTO t VALUES (?1)", "x")
		return []byte(err.Error())
	})
	session.Next()
	if step := session.Reply(&Reply{Error: "IntegrityError: UNIQUE constraint failed"}); string(step.Result) != "IntegrityError: UNIQUE constraint failed" {
		t.Fatalf("result: %#v", step)
	}
}

// Run hands each statement to its function on the calling goroutine, and a
// database error from it reaches River's code.
func TestRunCallsExecuteForEachStatement(t *testing.T) {
	var seen []string
	execute := func(statement *Statement) (*Reply, error) {
		seen = append(seen, statement.SQL)
		if len(seen) == 2 {
			return &Reply{Error: "UniqueViolation: duplicate key"}, nil
		}
		return &Reply{Columns: []string{"n"}, OIDs: []uint32{20}, Rows: [][]any{{"41"}}}, nil
	}
	result := Run(context.Background(), Dialect{}, execute, func(ctx context.Context, tx *sql.Tx) []byte {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT $1", 1).Scan(&n); err != nil {
			return []byte(err.Error())
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO t VALUES ($1)", n)
		return []byte(err.Error())
	})
	if string(result) != "UniqueViolation: duplicate key" || len(seen) != 2 || seen[1] != "INSERT INTO t VALUES ($1)" {
		t.Fatalf("result %q after %q", result, seen)
	}
}

// A bridge transaction is reused by the next operation, unless River ended it.
func TestBridgeTransactionsAreReusedUnlessEnded(t *testing.T) {
	none := func(*Statement) (*Reply, error) { return &Reply{}, nil }
	var first, second, third *sql.Tx
	Run(context.Background(), Dialect{}, none, func(_ context.Context, tx *sql.Tx) []byte { first = tx; return nil })
	Run(context.Background(), Dialect{}, none, func(_ context.Context, tx *sql.Tx) []byte {
		second = tx
		_ = tx.Commit() // River never does this to the application's transaction; if it did
		return nil
	})
	Run(context.Background(), Dialect{}, none, func(_ context.Context, tx *sql.Tx) []byte { third = tx; return nil })
	if first != second || third == second {
		t.Fatalf("first %p, second %p, third %p", first, second, third)
	}
}

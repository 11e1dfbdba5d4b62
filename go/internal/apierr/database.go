package apierr

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// undefinedTable is PostgreSQL's SQLSTATE for a missing table.
const undefinedTable = "42P01"

// missingTablesHint follows an error about one of River's tables missing.
const missingTablesHint = "; River's tables are missing: run client.migrate() first"

// DatabaseMessage is a database error's text, said so that it helps: the
// server's own answer first when pgx tried several ways to connect (the
// failed TLS attempt of sslmode=prefer came first and hid it), each attempt
// once, and what to do when River's tables are missing.
func DatabaseMessage(err error) string {
	message := err.Error()
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		message = connectMessage(connectErr)
	}
	if missingRiverTable(err) {
		message += missingTablesHint
	}
	return message
}

func connectMessage(err *pgconn.ConnectError) string {
	attempts, ok := err.Unwrap().(interface{ Unwrap() []error })
	if !ok {
		return err.Error()
	}
	var answered, other []string
	seen := map[string]bool{}
	for _, attempt := range attempts.Unwrap() {
		text := attempt.Error()
		if seen[text] {
			continue
		}
		seen[text] = true
		var serverErr *pgconn.PgError
		if errors.As(attempt, &serverErr) {
			answered = append(answered, text)
		} else {
			other = append(other, text)
		}
	}
	if len(answered) > 0 {
		return "the server refused the connection: " + strings.Join(answered, "; ")
	}
	return "cannot reach the server: " + strings.Join(other, "; ")
}

// missingRiverTable reports an error about a missing river_ table: PostgreSQL's
// undefined_table, or SQLite's "no such table" (SQLite gives that no code of
// its own).
func missingRiverTable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == undefinedTable && strings.Contains(pgErr.Message, "river_")
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		return sqliteErr.Code() == sqlite3.SQLITE_ERROR && strings.Contains(sqliteErr.Error(), "no such table: river_")
	}
	return false
}

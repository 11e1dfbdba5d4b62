package engine

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// dbAccess is what pyriver needs from a database beyond River's driver:
// opening and finishing the application's transactions, and running the
// application's own SQL in them. It is the only driver-specific code besides
// choosing the River driver.
type dbAccess[TTx any] struct {
	begin    func(ctx context.Context) (TTx, error)
	commit   func(ctx context.Context, tx TTx) error
	rollback func(ctx context.Context, tx TTx) error
	appSQL   func(tx TTx) appSQL
	close    func()
}

// appSQL runs the application's statements. Placeholders are the database's
// own: $1, $2 on PostgreSQL; ? on SQLite.
type appSQL interface {
	Execute(ctx context.Context, query string, args []any) (rowsAffected int64, err error)
	Query(ctx context.Context, query string, args []any) (*QueryResult, error)
}

// QueryResult is the application query's columns and rows. Values are what
// the database driver returns, encoded as JSON when they reach Python.
type QueryResult struct {
	Columns []string
	Rows    [][]any
}

func pgxAccess(pool *pgxpool.Pool) dbAccess[pgx.Tx] {
	return dbAccess[pgx.Tx]{
		begin:    pool.Begin,
		commit:   func(ctx context.Context, tx pgx.Tx) error { return tx.Commit(ctx) },
		rollback: rollbackPgx,
		appSQL:   func(tx pgx.Tx) appSQL { return pgxSQL{tx} },
		close:    pool.Close,
	}
}

// rollbackPgx rolls tx back. pgx closes a connection whose statement was
// cancelled (Ctrl-C in Python, an operation timeout), and PostgreSQL
// discards the open transaction of a closed connection: that is a rollback.
func rollbackPgx(ctx context.Context, tx pgx.Tx) error {
	err := tx.Rollback(ctx)
	if err != nil && tx.Conn().IsClosed() {
		return nil
	}
	return err
}

type pgxSQL struct{ tx pgx.Tx }

func (s pgxSQL) Execute(ctx context.Context, query string, args []any) (int64, error) {
	tag, err := s.tx.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (s pgxSQL) Query(ctx context.Context, query string, args []any) (*QueryResult, error) {
	rows, err := s.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	result := &QueryResult{Columns: []string{}, Rows: [][]any{}}
	for _, field := range rows.FieldDescriptions() {
		result.Columns = append(result.Columns, field.Name)
	}
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			return nil, err
		}
		result.Rows = append(result.Rows, values)
	}
	return result, rows.Err()
}

func sqlAccess(db *sql.DB) dbAccess[*sql.Tx] {
	return dbAccess[*sql.Tx]{
		begin:    func(ctx context.Context) (*sql.Tx, error) { return db.BeginTx(ctx, nil) },
		commit:   func(_ context.Context, tx *sql.Tx) error { return tx.Commit() },
		rollback: func(_ context.Context, tx *sql.Tx) error { return tx.Rollback() },
		appSQL:   func(tx *sql.Tx) appSQL { return databaseSQL{tx} },
		close:    func() { _ = db.Close() },
	}
}

type databaseSQL struct{ tx *sql.Tx }

func (s databaseSQL) Execute(ctx context.Context, query string, args []any) (int64, error) {
	result, err := s.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return result.RowsAffected()
}

func (s databaseSQL) Query(ctx context.Context, query string, args []any) (*QueryResult, error) {
	rows, err := s.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }() // rows.Err below reports what matters
	columns, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	result := &QueryResult{Columns: columns, Rows: [][]any{}}
	for rows.Next() {
		values := make([]any, len(columns))
		pointers := make([]any, len(columns))
		for i := range values {
			pointers[i] = &values[i]
		}
		if err := rows.Scan(pointers...); err != nil {
			return nil, err
		}
		result.Rows = append(result.Rows, values)
	}
	return result, rows.Err()
}

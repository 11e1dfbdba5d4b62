// Package dburl opens the database a URL names, configured the way River
// needs it, for both pyriver's clients and the Go worker program, so the two
// halves of a mixed deployment read a URL the same way.
package dburl

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/threadconn"
)

// connectTimeout bounds how long opening waits for the database, so that an
// unreachable server is reported in seconds rather than hanging.
const connectTimeout = 5 * time.Second

// sqliteBusyTimeoutMS lets SQLite wait for a lock held by another process (a
// Go worker sharing the file, say) instead of failing with SQLITE_BUSY at once.
const sqliteBusyTimeoutMS = 10_000

// Database is an open PostgreSQL pool or SQLite database; exactly one of the
// two fields is set.
type Database struct {
	Postgres *pgxpool.Pool
	SQLite   *sql.DB
}

// Close releases the database.
func (d *Database) Close() {
	if d.Postgres != nil {
		d.Postgres.Close()
	}
	if d.SQLite != nil {
		_ = d.SQLite.Close() // closing a pool of local files reports nothing actionable
	}
}

// Open connects to the database named by databaseURL and checks that it
// answers: postgres:// and postgresql:// open a pgx pool, sqlite:// a SQLite
// file through the pure-Go modernc.org/sqlite driver.
// No secret of the URL appears in an error.
func Open(ctx context.Context, databaseURL string, options ...PostgresOption) (*Database, error) {
	db, err := open(ctx, databaseURL, options)
	if err != nil {
		return nil, redactError(err, databaseURL)
	}
	return db, nil
}

// PostgresOption adjusts a PostgreSQL pool's configuration before it opens.
type PostgresOption func(*pgxpool.Config)

// WaitOnCallingThread makes the pool's connections wait for the database in
// a system call on the thread that runs the query (package threadconn),
// busy polling for up to busyPoll first: for the library, whose calls arrive
// on Python's threads. Go programs keep Go's network poller.
func WaitOnCallingThread(busyPoll time.Duration) PostgresOption {
	return func(config *pgxpool.Config) {
		config.ConnConfig.DialFunc = threadconn.Dialer(config.ConnConfig.DialFunc, busyPoll)
	}
}

func open(ctx context.Context, databaseURL string, options []PostgresOption) (*Database, error) {
	scheme, _, found := strings.Cut(databaseURL, "://")
	if !found {
		return nil, apierr.Invalid("url", "%q is not a database URL; expected sqlite://path/to.db or postgres://user@host/db", databaseURL)
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return openPostgres(ctx, databaseURL, options)
	case "sqlite":
		return openSQLite(databaseURL)
	default:
		return nil, apierr.Invalid("url", "unsupported scheme %q; expected sqlite, postgres or postgresql", scheme)
	}
}

func openPostgres(ctx context.Context, databaseURL string, options []PostgresOption) (*Database, error) {
	config, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, apierr.Invalid("url", "%v", err)
	}
	if config.ConnConfig.ConnectTimeout == 0 || config.ConnConfig.ConnectTimeout > connectTimeout {
		config.ConnConfig.ConnectTimeout = connectTimeout
	}
	for _, option := range options {
		option(config)
	}
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return nil, apierr.Invalid("url", "%v", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, apierr.New(apierr.Database, "cannot connect to %s: %s", databaseURL, apierr.DatabaseMessage(err))
	}
	return &Database{Postgres: pool}, nil
}

// openSQLite opens the file a sqlite:// URL names. Query parameters are
// passed through to the driver (for example _pragma=...).
func openSQLite(databaseURL string) (*Database, error) {
	path, rawQuery, err := sqlitePath(databaseURL)
	if err != nil {
		return nil, err
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, apierr.Invalid("url", "bad query string: %v", err)
	}
	query.Add("_pragma", "journal_mode(WAL)")
	query.Add("_pragma", "busy_timeout("+strconv.Itoa(sqliteBusyTimeoutMS)+")")
	// Take the write lock when a transaction begins, so that two processes
	// sharing the file wait for each other instead of deadlocking on upgrade.
	query.Add("_txlock", "immediate")

	db := sql.OpenDB(&guardedConnector{path: path, dsn: "file:" + path + "?" + query.Encode()})
	// SQLite allows one writer at a time and River runs many operations in
	// parallel; one connection serialises them instead of failing with
	// SQLITE_BUSY, as riversqlite recommends.
	db.SetMaxOpenConns(1)
	// The file itself is opened on first use, not here: a client used only
	// on the application's own sqlite3 connections (client.on) must never
	// open it, because two SQLite libraries writing one file in one process
	// corrupt it. A missing directory is still reported now.
	if info, err := os.Stat(filepath.Dir(path)); err != nil || !info.IsDir() {
		_ = db.Close() // nothing was opened yet
		return nil, apierr.New(apierr.Database, "cannot open SQLite database %q: directory %q does not exist", path, filepath.Dir(path))
	}
	return &Database{SQLite: db}, nil
}

// sqlitePath reads a sqlite:// URL as River's CLI and River UI read it:
// everything after "sqlite://" up to "?" is the path, so sqlite://app.db is
// app.db in the working directory and sqlite:///var/lib/app.db is
// /var/lib/app.db; sqlite:////var/lib/app.db (SQLAlchemy's absolute form) is
// the same file. A file directly in "/" written with three slashes is
// refused: SQLAlchemy reads sqlite:///app.db as the relative app.db, so the
// URL would name different files for different programs.
func sqlitePath(databaseURL string) (path, rawQuery string, err error) {
	path, rawQuery, _ = strings.Cut(strings.TrimPrefix(databaseURL, "sqlite://"), "?")
	switch {
	case strings.ContainsRune(path, 0):
		return "", "", apierr.Invalid("url", "%q: a SQLite path cannot contain a NUL character", databaseURL)
	case path == "" || path == "/":
		return "", "", apierr.Invalid("url", "%q has no database path; expected sqlite://relative.db or sqlite:///absolute/path.db", databaseURL)
	case strings.TrimLeft(path, "/") == ":memory:":
		return "", "", apierr.Invalid("url", "in-memory SQLite is not supported: River needs a database file that every connection shares")
	case strings.HasPrefix(path, "//"):
		return path[1:], rawQuery, nil
	case strings.HasPrefix(path, "/") && filepath.Dir(path) == "/":
		return "", "", apierr.Invalid("url",
			"%q is ambiguous: River reads it as %s at the filesystem root, SQLAlchemy as the relative %s; "+
				"write sqlite://%s for the file in the working directory, or sqlite:///%s for the one in /",
			databaseURL, path, path[1:], path[1:], path)
	}
	return path, rawQuery, nil
}

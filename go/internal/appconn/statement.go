package appconn

import (
	"database/sql/driver"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Dialect says what the application's connection speaks.
type Dialect struct {
	// SQLite is true for a sqlite3 connection, false for PostgreSQL.
	SQLite bool
	// Pyformat is true for drivers taking %(name)s placeholders (psycopg,
	// psycopg2); otherwise River's own placeholders are kept: $1 on
	// PostgreSQL (asyncpg), ?1 on SQLite (sqlite3).
	Pyformat bool
}

// Statement is a statement for Python to run on the application's
// connection, in the connection's own placeholder style. Args are JSON
// values: null, bool, number, string, {"bytes": base64} or, on PostgreSQL,
// {"time": microseconds since the epoch, UTC}.
type Statement struct {
	SQL         string
	Args        []any
	ReturnsRows bool
}

func newStatement(dialect Dialect, query string, args []driver.NamedValue, returnsRows bool) (*Statement, error) {
	encoded := make([]any, len(args))
	for i, arg := range args {
		if arg.Name != "" {
			return nil, fmt.Errorf("pyriver: named parameter %q is not supported on an application connection", arg.Name)
		}
		encoded[i] = encodeArg(dialect, arg.Value)
	}
	if dialect.Pyformat {
		query = pyformatted(query)
	}
	return &Statement{SQL: query, Args: encoded, ReturnsRows: returnsRows}, nil
}

// sqliteTimeFormat is how modernc.org/sqlite, River's SQLite driver, writes
// a time parameter; the same text keeps both paths' rows identical.
const sqliteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"

func encodeArg(dialect Dialect, value driver.Value) any {
	switch value := value.(type) {
	case []byte:
		return map[string]string{"bytes": base64.StdEncoding.EncodeToString(value)}
	case time.Time:
		if dialect.SQLite {
			return value.Format(sqliteTimeFormat)
		}
		return map[string]int64{"time": value.UnixMicro()}
	default: // nil, bool, int64, float64, string
		return value
	}
}

// pyformatCacheLimit bounds the queries pyformatted remembers: River's are a
// few dozen, and a query built with values in its text is not remembered
// once the cache is full.
const pyformatCacheLimit = 512

//nolint:gochecknoglobals // a process-wide cache of a pure function
var pyformatCache struct {
	queries sync.Map // query → toPyformat(query)
	size    atomic.Int32
}

// pyformatted is toPyformat, remembered per query: River sends the same few
// statements again and again, and rewriting an insert's 1.5 KB each time
// was 16 µs of every insert on an application's connection.
func pyformatted(query string) string {
	if rewritten, ok := pyformatCache.queries.Load(query); ok {
		return rewritten.(string) //nolint:forcetypeassert // only strings are stored
	}
	rewritten := toPyformat(query)
	if pyformatCache.size.Add(1) <= pyformatCacheLimit {
		pyformatCache.queries.Store(query, rewritten)
	}
	return rewritten
}

// toPyformat rewrites PostgreSQL's $N placeholders as %(pN)s, the named
// placeholders of psycopg and psycopg2 (a $N may appear more than once), and
// doubles every literal %. Quoted strings, quoted identifiers, dollar-quoted
// bodies and comments are copied unchanged, apart from doubling % in them:
// the drivers read %% as % everywhere.
func toPyformat(query string) string {
	var out strings.Builder
	out.Grow(len(query) + 16)
	for i := 0; i < len(query); {
		switch c := query[i]; {
		case c == '%':
			out.WriteString("%%")
			i++
		case c == '\'' || c == '"':
			end := closing(query, i+1, string(c))
			writeDoublingPercent(&out, query[i:end])
			i = end
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			end := closing(query, i+2, "\n")
			writeDoublingPercent(&out, query[i:end])
			i = end
		case c == '/' && strings.HasPrefix(query[i:], "/*"):
			end := closing(query, i+2, "*/")
			writeDoublingPercent(&out, query[i:end])
			i = end
		case c == '$':
			digits := i + 1
			for digits < len(query) && query[digits] >= '0' && query[digits] <= '9' {
				digits++
			}
			if digits > i+1 {
				out.WriteString("%(p" + query[i+1:digits] + ")s")
				i = digits
				continue
			}
			if tag, ok := dollarQuoteTag(query[i:]); ok {
				end := closing(query, i+len(tag), tag)
				writeDoublingPercent(&out, query[i:end])
				i = end
				continue
			}
			out.WriteByte(c)
			i++
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.String()
}

// closing returns the index just past the first terminator at or after
// from, or the end of the query.
func closing(query string, from int, terminator string) int {
	if index := strings.Index(query[from:], terminator); index >= 0 {
		return from + index + len(terminator)
	}
	return len(query)
}

// dollarQuoteTag returns the $tag$ opening a dollar-quoted string.
func dollarQuoteTag(text string) (string, bool) {
	for i := 1; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '$':
			return text[:i+1], true
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (i > 1 && c >= '0' && c <= '9'):
		default:
			return "", false
		}
	}
	return "", false
}

func writeDoublingPercent(out *strings.Builder, text string) {
	out.WriteString(strings.ReplaceAll(text, "%", "%%"))
}

package appconn

import (
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// Reply is Python's answer to a statement: its rows, or the number of rows
// it affected, or the error the application's driver raised.
//
// Values are JSON: null, bool, number, string, or {"bytes": base64}. From
// PostgreSQL, Python sends each value in PostgreSQL's text format with the
// column's type OID in OIDs, and decode turns it into the value pgx's
// database/sql driver would give (int64, time.Time, []byte for bytea, text
// for arrays and jsonb): the values riverdatabasesql is written for. From
// SQLite, values are the database's own (integer, real, text, blob).
type Reply struct {
	Columns      []string
	OIDs         []uint32
	Rows         [][]any
	RowsAffected int64
	Error        string

	values [][]driver.Value
}

func (r *Reply) decode(dialect Dialect) error {
	r.values = make([][]driver.Value, len(r.Rows))
	for i, row := range r.Rows {
		if len(row) != len(r.Columns) {
			return fmt.Errorf("pyriver: reply row %d has %d values for %d columns", i, len(row), len(r.Columns))
		}
		values := make([]driver.Value, len(row))
		for j, value := range row {
			var err error
			if dialect.SQLite {
				values[j], err = sqliteValue(r.Columns[j], value)
			} else {
				values[j], err = postgresValue(r.oid(j), value)
			}
			if err != nil {
				return fmt.Errorf("pyriver: column %q: %w", r.Columns[j], err)
			}
		}
		r.values[i] = values
	}
	return nil
}

func (r *Reply) oid(column int) uint32 {
	if column < len(r.OIDs) {
		return r.OIDs[column]
	}
	return 0
}

// jsonScalar converts the JSON values both databases share.
func jsonScalar(value any) (driver.Value, bool, error) {
	switch value := value.(type) {
	case nil, bool:
		return value, true, nil
	case json.Number:
		if integer, err := value.Int64(); err == nil {
			return integer, true, nil
		}
		float, err := value.Float64()
		return float, true, err
	case float64:
		return value, true, nil
	case map[string]any:
		encoded, ok := value["bytes"].(string)
		if !ok {
			return nil, true, fmt.Errorf("unexpected value %v", value)
		}
		decoded, err := base64.StdEncoding.DecodeString(encoded)
		return decoded, true, err
	}
	return nil, false, nil
}

// typeMaps holds pgx type maps for decoding: a Map caches scan plans and is
// not safe for concurrent use, and building one is not free.
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }} //nolint:gochecknoglobals

func postgresValue(oid uint32, value any) (driver.Value, error) {
	if scalar, ok, err := jsonScalar(value); ok {
		return scalar, err
	}
	text, ok := value.(string)
	if !ok {
		return nil, fmt.Errorf("unexpected value of type %T", value)
	}
	typeMap := typeMaps.Get().(*pgtype.Map) //nolint:forcetypeassert
	defer typeMaps.Put(typeMap)
	dataType, known := typeMap.TypeForOID(oid)
	if !known {
		return text, nil // enums and other types pgx does not know arrive as text, as with pgx
	}
	return dataType.Codec.DecodeDatabaseSQLValue(typeMap, oid, pgtype.TextFormatCode, []byte(text))
}

// sqliteTimeLayouts are the forms in which River's SQLite schema stores
// times (SQLite's datetime() and Go's driver); parsed in this order.
var sqliteTimeLayouts = []string{ //nolint:gochecknoglobals
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// sqliteValue converts a value Python's sqlite3 returned. River's driver,
// modernc.org/sqlite, turns the text of columns declared as timestamps into
// time.Time; Python's sqlite3 does not say how a column was declared, so
// timestamps are recognised by River's naming: every timestamp column in
// River's schema ends in "_at".
func sqliteValue(column string, value any) (driver.Value, error) {
	if scalar, ok, err := jsonScalar(value); ok {
		return scalar, err
	}
	text, ok := value.(string)
	if !ok {
		return nil, fmt.Errorf("unexpected value of type %T", value)
	}
	if strings.HasSuffix(column, "_at") {
		for _, layout := range sqliteTimeLayouts {
			if parsed, err := time.Parse(layout, text); err == nil {
				return parsed.UTC(), nil
			}
		}
	}
	return text, nil
}

package protocol

import (
	"encoding/json"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/engine"
)

// TxSQLRequest runs the application's SQL in a transaction (tx.execute,
// tx.query).
type TxSQLRequest struct {
	Scope
	SQL    string `json:"sql"`
	Params []any  `json:"params"`
}

// Args converts JSON parameters to the Go values database drivers take:
// numbers arrive as json.Number (the decoder keeps big integers exact),
// objects and arrays as their JSON text.
func (req *TxSQLRequest) Args() ([]any, error) {
	args := make([]any, len(req.Params))
	for i, param := range req.Params {
		switch value := param.(type) {
		case json.Number:
			if integer, err := value.Int64(); err == nil {
				args[i] = integer
			} else if float, err := value.Float64(); err == nil {
				args[i] = float
			} else {
				return nil, apierr.Invalid("params", "parameter %d: %v", i+1, err)
			}
		case map[string]any, []any:
			encoded, err := json.Marshal(value)
			if err != nil {
				return nil, apierr.Invalid("params", "parameter %d: %v", i+1, err)
			}
			args[i] = string(encoded)
		default:
			args[i] = value
		}
	}
	return args, nil
}

// QueryResult is a query's columns and rows, values as the driver returned
// them.
type QueryResult struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// NewQueryResult encodes the engine's result.
func NewQueryResult(result *engine.QueryResult) *QueryResult {
	return &QueryResult{Columns: result.Columns, Rows: result.Rows}
}

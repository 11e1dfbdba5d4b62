package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// What the plain reader accepts it must read as encoding/json does (with
// rpc.Decode's settings); what it refuses, encoding/json reads instead.
func TestPlainStatementRepliesReadAsEncodingJSONDoes(t *testing.T) {
	for _, tc := range []struct {
		reply string
		plain bool
	}{
		{`{"rows_affected":3}`, true},
		{`{}`, true},
		{` { "columns" : ["id","args"] , "oids":[20, 3802],"rows":[["1","{\"a\": \"\\u00e9\"}"],[null,""]],"rows_affected":2} `, true},
		{`{"columns":[],"oids":[],"rows":[],"rows_affected":0,"error":"","abandoned":false}`, true},
		{`{"error":"UniqueViolation: duplicate key \"x\"\n","abandoned":true}`, true},
		{`{"columns":["c"],"oids":[25],"rows":[["tab\there \ud83d\ude00"]],"rows_affected":1}`, true},
		{`{"columns":["n"],"rows":[[1, 2.5, true, {"bytes":"AQI="}]]}`, false}, // SQLite's values
		{"{\"columns\":[\"c\"],\"rows\":[[\"é \xff\"]]}", true},                // raw and invalid UTF-8, left to encoding/json
		{`{"columns":["c"],"rows":[["\"q\" \\ \/ \b\f\n\r\t end","é ü 😀","\"then \u00e9","\n\ud83d"]]}`, true},
		{"{\"columns\":[\"c\"],\"rows\":[[\"\\\"quoted\\\" \xff\"]]}", true}, // escapes, then invalid UTF-8
		{`{"rows":[["bad \x escape"]]}`, false},
		{`{"rows":[["ends in a backslash\`, false},
		{"{\"rows\":[[\"raw\ttab\"]]}", false}, // a control character JSON does not allow
		{`{"rows_affected":007}`, false},
		{`{"surprise":1}`, false},
		{`{"rows_affected":1}{`, false},
		{`{"rows":[["unterminated]]}`, false},
		{`{"oids":[4294967296]}`, false},
	} {
		got, plain := ReadPlainStatementReply([]byte(tc.reply))
		if plain != tc.plain {
			t.Errorf("%s: read as plain %v, want %v", tc.reply, plain, tc.plain)
			continue
		}
		if !plain {
			if !reflect.DeepEqual(got, StatementReply{}) {
				t.Errorf("%s: a refused reply must come back empty, got %+v", tc.reply, got)
			}
			continue
		}
		var want StatementReply
		decoder := json.NewDecoder(bytes.NewReader([]byte(tc.reply)))
		decoder.DisallowUnknownFields()
		decoder.UseNumber()
		if err := decoder.Decode(&want); err != nil {
			t.Fatalf("%s: %v", tc.reply, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read as\n%#v\nwant\n%#v", tc.reply, got, want)
		}
	}
}

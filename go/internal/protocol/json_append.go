package protocol

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// JSONAppender is a result that writes its own JSON, exactly as
// encoding/json would write it. rpc puts it in the response envelope as it
// is: encoding/json would call a Marshaler and then go over its bytes again.
type JSONAppender interface {
	AppendJSON(out []byte) []byte
}

// The append helpers below write JSON exactly as encoding/json does for the
// same Go values (nil slices and pointers as null, []byte as base64, strings
// with its escapes), for the hand-written encoders of rows and of the
// results made of them.

func appendInt(out []byte, value int) []byte { return strconv.AppendInt(out, int64(value), 10) }

func appendOptionalInt64(out []byte, value *int64) []byte {
	if value == nil {
		return append(out, "null"...)
	}
	return strconv.AppendInt(out, *value, 10)
}

// appendString writes a string quoted, escaping quotes and backslashes
// itself (River's JSON of args is full of them), and leaves any string with
// a byte needing more (control characters, HTML-sensitive characters,
// anything beyond ASCII: invalid UTF-8, U+2028) to encoding/json, whose
// escapes it must match.
func appendString(out []byte, value string) []byte {
	start := len(out)
	out = append(out, '"')
	for i := range len(value) {
		switch c := value[i]; {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c < 0x20 || c >= 0x80 || c == '<' || c == '>' || c == '&':
			quoted, _ := json.Marshal(value) //nolint:errchkjson // a string always marshals
			return append(out[:start], quoted...)
		default:
			out = append(out, c)
		}
	}
	return append(out, '"')
}

func appendStrings[S ~string](out []byte, values []S) []byte {
	return appendList(out, values, func(out []byte, value S) []byte { return appendString(out, string(value)) })
}

func appendBytes(out []byte, value []byte) []byte {
	if value == nil {
		return append(out, "null"...)
	}
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, value)
	return append(out, '"')
}

func appendAttemptErrors(out []byte, errors []AttemptError) []byte {
	return appendList(out, errors, func(out []byte, attemptErr AttemptError) []byte {
		out = strconv.AppendInt(append(out, `{"at_us":`...), attemptErr.AtUs, 10)
		out = appendInt(append(out, `,"attempt":`...), attemptErr.Attempt)
		out = appendString(append(out, `,"error":`...), attemptErr.Error)
		return append(appendString(append(out, `,"trace":`...), attemptErr.Trace), '}')
	})
}

func appendList[T any](out []byte, values []T, appendOne func([]byte, T) []byte) []byte {
	if values == nil {
		return append(out, "null"...)
	}
	out = append(out, '[')
	for i, value := range values {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendOne(out, value)
	}
	return append(out, ']')
}

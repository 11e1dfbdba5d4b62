package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/riverqueue/river/rivertype"
)

// snakeCase turns a Go field name into its wire name (EncodedArgs →
// encoded_args, ID → id).
func snakeCase(name string) string {
	var out strings.Builder
	runes := []rune(name)
	for i, r := range runes {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(runes[i-1]) || (i+1 < len(runes) && unicode.IsLower(runes[i+1]))) {
			out.WriteByte('_')
		}
		out.WriteRune(unicode.ToLower(r))
	}
	return out.String()
}

// The encoded row must carry every field of River's row, in River's order,
// under the names Python is told; a field added to River (or to one side
// only) fails here.
func TestJobRowMirrorsRiversRowField(t *testing.T) {
	river := reflect.TypeFor[rivertype.JobRow]()
	ours := reflect.TypeFor[JobRow]()
	var riverNames []string
	for field := range river.Fields() {
		if field.IsExported() {
			riverNames = append(riverNames, field.Name)
		}
	}
	var ourNames []string
	for field := range ours.Fields() {
		ourNames = append(ourNames, field.Name)
	}
	if !reflect.DeepEqual(riverNames, ourNames) {
		t.Fatalf("protocol.JobRow fields %v differ from rivertype.JobRow's %v", ourNames, riverNames)
	}
	for i, name := range ourNames {
		if JobRowFields[i] != snakeCase(name) {
			t.Fatalf("JobRowFields[%d] is %q, want %q for %s", i, JobRowFields[i], snakeCase(name), name)
		}
	}
	if len(JobRowFields) != len(ourNames) {
		t.Fatalf("JobRowFields has %d names for %d fields", len(JobRowFields), len(ourNames))
	}
}

// Each array element must be the field at the same position: a row whose
// fields all differ is encoded, and every element compared with its field.
func TestJobRowEncodesFieldsInOrder(t *testing.T) {
	at := int64(7)
	row := JobRow{
		ID: 1, Attempt: 2, AttemptedAt: &at, AttemptedBy: []string{"host"}, CreatedAt: 3, EncodedArgs: `{"a":1}`,
		Errors: []AttemptError{{AtUs: 4, Attempt: 1, Error: "e", Trace: "t"}}, FinalizedAt: &at, Kind: "kind",
		MaxAttempts: 5, Metadata: `{"m":2}`, Priority: 3, Queue: "queue", ScheduledAt: 6, State: rivertype.JobStateRunning,
		Tags: []string{"tag"}, UniqueKey: []byte("key"), UniqueStates: []rivertype.JobState{rivertype.JobStateAvailable},
	}
	encoded, err := json.Marshal(&row)
	if err != nil {
		t.Fatal(err)
	}
	var elements []json.RawMessage
	if err := json.Unmarshal(encoded, &elements); err != nil {
		t.Fatal(err)
	}
	value := reflect.ValueOf(row)
	if len(elements) != value.NumField() {
		t.Fatalf("%d elements for %d fields", len(elements), value.NumField())
	}
	for i := range value.NumField() {
		want, err := json.Marshal(value.Field(i).Interface())
		if err != nil {
			t.Fatal(err)
		}
		if string(elements[i]) != string(want) {
			t.Errorf("element %d (%s) is %s, want %s", i, value.Type().Field(i).Name, elements[i], want)
		}
	}
}

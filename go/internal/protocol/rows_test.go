package protocol

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
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

// The hand-written encoder must write what encoding/json writes for the
// same fields: every string that needs an escape, nil against empty
// slices, absent times.
func TestJobRowEncodingMatchesEncodingJSON(t *testing.T) {
	at := int64(-7)
	awkward := []string{"", "plain", `quote"`, `back\slash`, "<", ">", "&", "line\u2028sep", "é ✓ 🚀", "\x00\x1f\t\n", "bad\xffutf8", `{"n":1}`}
	rows := []JobRow{{}, {
		ID: -1, Attempt: 2, AttemptedAt: &at, AttemptedBy: []string{}, CreatedAt: 1 << 60, Errors: []AttemptError{},
		FinalizedAt: &at, MaxAttempts: 25, Priority: 4, ScheduledAt: -(1 << 60), Tags: []string{}, UniqueKey: []byte{},
		UniqueStates: []rivertype.JobState{},
	}}
	for _, text := range awkward {
		rows = append(rows, JobRow{
			AttemptedBy: []string{text, "host"}, EncodedArgs: text, Kind: text, Metadata: text, Queue: text,
			State: rivertype.JobState(text), Tags: []string{text}, UniqueKey: []byte(text),
			UniqueStates: []rivertype.JobState{rivertype.JobState(text)},
			Errors:       []AttemptError{{AtUs: 3, Attempt: 1, Error: text, Trace: text}},
		})
	}
	for _, row := range rows {
		got, err := row.MarshalJSON() // not json.Marshal, which would escape again what the encoder missed
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal([]any{
			row.ID, row.Attempt, row.AttemptedAt, row.AttemptedBy, row.CreatedAt, row.EncodedArgs, row.Errors,
			row.FinalizedAt, row.Kind, row.MaxAttempts, row.Metadata, row.Priority, row.Queue, row.ScheduledAt,
			row.State, row.Tags, row.UniqueKey, row.UniqueStates,
		})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("row encodes as\n%s\nwant\n%s", got, want)
		}
	}
}

// Results that write their own JSON must write what encoding/json writes
// for them (it ignores AppendJSON, so it is the reference): rpc sends their
// bytes as they are.
func TestResultsAppendWhatEncodingJSONWrites(t *testing.T) {
	deadline := int64(99)
	row := &JobRow{ID: 7, EncodedArgs: `{"quote":"\"<&>"}`, Kind: "kind", Metadata: `{}`, Queue: "q", State: rivertype.JobStateRunning}
	results := []JSONAppender{
		JobRows{row, row},
		JobRows(nil),
		&Work{},
		&Work{
			Jobs:          []Handoff{{Token: 1, Job: row, DeadlineUs: &deadline}, {Token: 2, Job: row}},
			Cancellations: []Cancellation{{Token: 3, Reason: "timeout"}, {Token: 4, Reason: `why "<not>" é`}},
		},
	}
	for _, result := range results {
		want, err := json.Marshal(result)
		if err != nil {
			t.Fatal(err)
		}
		if got := result.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("%T appends\n%s\nwant\n%s", result, got, want)
		}
	}
}

// Results by column must carry exactly the rows: each result, put back
// together from its columns, is the row JobRow.AppendJSON writes, and its
// duplicate flag, whether a column is alike in every result or not.
func TestInsertResultsCarryEveryRowByColumn(t *testing.T) {
	first := &JobRow{ID: 7, EncodedArgs: `{"n":1}`, Kind: "kind", Metadata: `{}`, Queue: "q", State: rivertype.JobStateAvailable, Tags: []string{"a"}}
	second := *first
	second.ID, second.EncodedArgs, second.Tags = 8, `{"quote":"\"<&>"}`, nil
	for _, results := range []InsertResults{
		nil,
		{{Job: first}},
		{{Job: first, UniqueSkippedAsDuplicate: true}, {Job: &second}, {Job: first}},
		{{Job: first}, {Job: first}},
	} {
		var wire struct {
			Count   int               `json:"count"`
			Columns []json.RawMessage `json:"columns"`
			Varying []int             `json:"varying"`
		}
		if err := json.Unmarshal(results.AppendJSON(nil), &wire); err != nil {
			t.Fatal(err)
		}
		if wire.Count != len(results) || len(wire.Columns) != len(JobRowFields)+1 {
			t.Fatalf("%d results, %d columns: %+v", wire.Count, len(wire.Columns), wire)
		}
		if len(results) == 1 && len(wire.Varying) > 0 {
			t.Fatalf("one result with varying columns %v", wire.Varying)
		}
		for i, result := range results {
			values := slices.Clone(wire.Columns)
			for _, column := range wire.Varying {
				var list []json.RawMessage
				if err := json.Unmarshal(wire.Columns[column], &list); err != nil || len(list) != len(results) {
					t.Fatalf("varying column %d is not a list of every result: %s", column, wire.Columns[column])
				}
				values[column] = list[i]
			}
			row, err := json.Marshal(values[:len(JobRowFields)])
			if err != nil {
				t.Fatal(err)
			}
			if want := result.Job.AppendJSON(nil); string(row) != string(want) {
				t.Errorf("result %d is\n%s\nwant\n%s", i, row, want)
			}
			if string(values[len(JobRowFields)]) != strconv.FormatBool(result.UniqueSkippedAsDuplicate) {
				t.Errorf("result %d: duplicate flag %s", i, values[len(JobRowFields)])
			}
		}
	}
}

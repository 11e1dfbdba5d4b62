// Command otelcheck is an independent Go program using River with its
// OpenTelemetry middleware, otelriver, for pyriver's cross-language tracing
// tests. It imports nothing of pyriver's: it is what a Go team would write.
//
//	otelcheck -database-url URL insert         insert one otel_echo job inside a span; print the job id and the spans
//	otelcheck -database-url URL work -count N  work N otel_echo jobs; print the spans
//
// Both use otelriver with EnableTracePropagation, and record spans in
// memory with OpenTelemetry's SDK; spans are printed as JSON.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"github.com/riverqueue/rivercontrib/otelriver"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	_ "modernc.org/sqlite"
)

// EchoArgs is the job both languages insert and work.
type EchoArgs struct {
	Message string `json:"message"`
}

func (EchoArgs) Kind() string { return "otel_echo" }

type echoWorker struct{ river.WorkerDefaults[EchoArgs] }

func (echoWorker) Work(context.Context, *river.Job[EchoArgs]) error { return nil }

// recordedSpan is what the tests compare across languages.
type recordedSpan struct {
	Name         string            `json:"name"`
	TraceID      string            `json:"trace_id"`
	SpanID       string            `json:"span_id"`
	ParentSpanID string            `json:"parent_span_id"`
	Kind         string            `json:"kind"`
	Status       string            `json:"status"`
	Links        []recordedLink    `json:"links"`
	Attributes   map[string]string `json:"attributes"`
}

type recordedLink struct {
	TraceID string `json:"trace_id"`
	SpanID  string `json:"span_id"`
}

func main() {
	url := flag.String("database-url", "", "postgres://... or sqlite://PATH")
	count := flag.Int("count", 1, "work: how many jobs to wait for")
	timeout := flag.Duration("timeout", 60*time.Second, "work: how long to wait")
	flag.Parse()
	if err := run(*url, flag.Arg(0), *count, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "otelcheck:", err)
		os.Exit(1)
	}
}

func run(url, command string, count int, timeout time.Duration) error {
	exporter := tracetest.NewInMemoryExporter()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	middleware := otelriver.NewMiddleware(&otelriver.MiddlewareConfig{
		EnableTracePropagation: true,
		TracerProvider:         provider,
	})
	workers := river.NewWorkers()
	river.AddWorker(workers, &echoWorker{})
	config := &river.Config{
		Middleware:        []rivertype.Middleware{middleware},
		FetchPollInterval: 50 * time.Millisecond,
		FetchCooldown:     10 * time.Millisecond,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers:           workers,
	}
	ctx := context.Background()
	output := map[string]any{}
	var err error
	switch command {
	case "insert":
		err = withClient(ctx, url, config, func(client clientOps) error {
			ctx, span := provider.Tracer("otelcheck").Start(ctx, "go.request")
			id, err := client.insert(ctx, EchoArgs{Message: "from go"})
			span.End()
			output["job_id"] = id
			return err
		})
	case "work":
		err = withClient(ctx, url, config, func(client clientOps) error { return client.work(ctx, count, timeout) })
	default:
		err = fmt.Errorf("unknown command %q", command)
	}
	if err != nil {
		return err
	}
	output["spans"] = recorded(exporter.GetSpans())
	return json.NewEncoder(os.Stdout).Encode(output)
}

// clientOps is what the commands need of a River client, on either driver.
type clientOps struct {
	insert func(ctx context.Context, args river.JobArgs) (int64, error)
	work   func(ctx context.Context, count int, timeout time.Duration) error
}

func withClient(ctx context.Context, url string, config *river.Config, use func(clientOps) error) error {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		client, err := river.NewClient(riverpgxv5.New(pool), config)
		if err != nil {
			return err
		}
		return use(opsOf(client))
	case strings.HasPrefix(url, "sqlite://"):
		// As River's CLI reads sqlite:// URLs: everything after it, one slash dropped from "//".
		path := strings.TrimPrefix(url, "sqlite://")
		if strings.HasPrefix(path, "//") {
			path = path[1:]
		}
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		if err != nil {
			return err
		}
		defer func() { _ = db.Close() }() // the process is ending; nothing to report to
		db.SetMaxOpenConns(1)
		client, err := river.NewClient(riversqlite.New(db), config)
		if err != nil {
			return err
		}
		return use(opsOf(client))
	default:
		return fmt.Errorf("unsupported database URL %q", url)
	}
}

func opsOf[TTx any](client *river.Client[TTx]) clientOps {
	return clientOps{
		insert: func(ctx context.Context, args river.JobArgs) (int64, error) {
			result, err := client.Insert(ctx, args, nil)
			if err != nil {
				return 0, err
			}
			return result.Job.ID, nil
		},
		work: func(ctx context.Context, count int, timeout time.Duration) error {
			completed, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
			defer cancel()
			if err := client.Start(ctx); err != nil {
				return err
			}
			defer func() { _ = client.Stop(context.Background()) }()
			deadline := time.After(timeout)
			for seen := 0; seen < count; {
				select {
				case <-completed:
					seen++
				case <-deadline:
					return errors.New("timed out waiting for jobs")
				}
			}
			return client.Stop(ctx)
		},
	}
}

func recorded(spans tracetest.SpanStubs) []recordedSpan {
	out := make([]recordedSpan, 0, len(spans))
	for _, span := range spans {
		links := make([]recordedLink, 0, len(span.Links))
		for _, link := range span.Links {
			links = append(links, recordedLink{TraceID: link.SpanContext.TraceID().String(), SpanID: link.SpanContext.SpanID().String()})
		}
		attributes := map[string]string{}
		for _, attribute := range span.Attributes {
			attributes[string(attribute.Key)] = attribute.Value.Emit()
		}
		parent := ""
		if span.Parent.IsValid() {
			parent = span.Parent.SpanID().String()
		}
		out = append(out, recordedSpan{
			Name: span.Name, TraceID: span.SpanContext.TraceID().String(), SpanID: span.SpanContext.SpanID().String(),
			ParentSpanID: parent, Kind: span.SpanKind.String(), Status: span.Status.Code.String(),
			Links: links, Attributes: attributes,
		})
	}
	return out
}

package api

import (
	"context"
	"strconv"
	"sync"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

// A large insert_many or insert_many_fast reaches River in chunks, in one
// transaction, and Python encodes the next chunk while River inserts the one
// before: job.insert_many_send queues a chunk and returns at once, with the
// results of the chunks already inserted (Python reads them while River
// inserts the next), and job.insert_many_receive waits for every queued chunk
// and returns the results not yet taken. Encoding a job in Python (its args'
// to_json() included) costs a fifth of what inserting it costs, and done in
// turn the two add up.

func init() {
	rpc.Register(protocol.JobInsertManySend, rpc.Typed(insertManySend))
	rpc.Register(protocol.JobInsertManyReceive, rpc.Typed(insertManyReceive))
}

func insertManySend(ctx context.Context, req *protocol.InsertManySendRequest) (protocol.InsertResultChunks, error) {
	open, err := transactionOf(req.Scope)
	if err != nil {
		return nil, err
	}
	client, err := clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	// Each chunk is bounded as an insert_many on the client is: the batch is
	// one on the client, though it runs in a transaction.
	timeout := client.OperationTimeout()
	open.queued.add(func(ctx context.Context) ([]byte, error) {
		var jobs protocol.InsertManyRequest
		if err := rpc.Decode(req.Jobs, &jobs.Jobs); err != nil {
			return nil, apierr.Invalid("request", "malformed jobs: %v", err)
		}
		params, err := jobs.Params()
		if err != nil {
			return nil, err
		}
		open.mu.Lock()
		defer open.mu.Unlock()
		return withinTimeout(ctx, req.Scope, timeout, func(ctx context.Context) ([]byte, error) {
			if req.Fast {
				count, err := open.tx.Ops().InsertManyFast(ctx, params)
				return strconv.AppendInt(nil, int64(count), 10), err
			}
			results, err := open.tx.Ops().InsertMany(ctx, params)
			if err != nil {
				return nil, err
			}
			return protocol.NewInsertResults(results).AppendJSON(nil), nil
		})
	})
	return open.queued.take(), nil
}

func insertManyReceive(ctx context.Context, req *protocol.Scope) (protocol.InsertResultChunks, error) {
	open, err := transactionOf(*req)
	if err != nil {
		return nil, err
	}
	return open.queued.receive(ctx)
}

// queuedInserts are a transaction's chunks sent and not yet received. Each
// runs on a goroutine of its own once the chunk before it is done, taking the
// transaction's lock for its insert only, so other calls on the transaction
// go between chunks as they go between calls. After a chunk fails, the
// chunks after it do not run. The zero value has nothing queued.
type queuedInserts struct {
	mu      sync.Mutex
	stop    context.CancelFunc // ends chunks in flight and queued
	ctx     context.Context    //nolint:containedctx // the chunks' context, from the first send to the receive
	last    chan struct{}      // closed when the newest chunk is done
	results protocol.InsertResultChunks
	err     error
}

// add queues a chunk's insert, which returns its encoded results.
func (q *queuedInserts) add(insert func(context.Context) ([]byte, error)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.ctx == nil {
		// Not the sending call's context: the chunks outlive the call.
		q.ctx, q.stop = context.WithCancel(context.Background())
	}
	previous, done, ctx := q.last, make(chan struct{}), q.ctx
	q.last = done
	go func() {
		defer close(done)
		if previous != nil {
			<-previous
		}
		if q.failed() {
			return
		}
		results, err := insert(ctx)
		q.mu.Lock()
		defer q.mu.Unlock()
		if err != nil {
			q.err = err
			return
		}
		q.results = append(q.results, results)
	}()
}

// take returns the results of the chunks inserted so far, in order, and
// forgets them; an error waits for receive.
func (q *queuedInserts) take() protocol.InsertResultChunks {
	q.mu.Lock()
	defer q.mu.Unlock()
	results := q.results
	q.results = nil
	return results
}

func (q *queuedInserts) failed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err != nil
}

// receive waits for every queued chunk and returns the results not taken,
// or the first chunk's error, leaving nothing queued. Ctrl-C ends the wait,
// not the chunks: the transaction's rollback ends those.
func (q *queuedInserts) receive(ctx context.Context) (protocol.InsertResultChunks, error) {
	if err := q.wait(ctx); err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	results, err := q.results, q.err
	q.reset()
	return results, err
}

// settle ends (cancel) or awaits the queued chunks before the transaction
// finishes, and returns the error of one that failed and was not received:
// a transaction missing a chunk must not commit.
func (q *queuedInserts) settle(cancel bool) error {
	q.mu.Lock()
	if cancel && q.stop != nil {
		q.stop()
	}
	q.mu.Unlock()
	_ = q.wait(context.Background()) // cannot fail: the context never ends
	q.mu.Lock()
	defer q.mu.Unlock()
	err := q.err
	q.reset()
	return err
}

func (q *queuedInserts) wait(ctx context.Context) error {
	q.mu.Lock()
	last := q.last
	q.mu.Unlock()
	if last == nil {
		return nil
	}
	select {
	case <-last:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reset forgets the finished chunks; the caller holds q.mu.
func (q *queuedInserts) reset() {
	if q.stop != nil {
		q.stop()
	}
	q.ctx, q.stop, q.last, q.results, q.err = nil, nil, nil, nil, nil
}

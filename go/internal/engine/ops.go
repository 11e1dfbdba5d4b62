package engine

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Ops are the River operations pyriver exposes, run either directly on the
// client (each in its own transaction, as River does) or inside a
// transaction the application opened.
type Ops interface {
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	InsertManyFast(ctx context.Context, params []river.InsertManyParams) (int, error)
	JobCancel(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobDelete(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobDeleteMany(ctx context.Context, params *river.JobDeleteManyParams) (*river.JobDeleteManyResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobRetry(ctx context.Context, id int64) (*rivertype.JobRow, error)
	QueueGet(ctx context.Context, name string) (*rivertype.Queue, error)
	QueueList(ctx context.Context, params *river.QueueListParams) (*river.QueueListResult, error)
	QueuePause(ctx context.Context, name string) error
	QueueResume(ctx context.Context, name string) error
	QueueUpdate(ctx context.Context, name string, params *river.QueueUpdateParams) (*rivertype.Queue, error)
}

// riverOps runs Ops on a River client, in tx when it is set. River offers
// every operation twice (X and XTx); the choice is made here once per method
// so that callers never care which they have.
type riverOps[TTx any] struct {
	client *river.Client[TTx]
	tx     *TTx
}

func (o riverOps[TTx]) InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	if o.tx != nil {
		return o.client.InsertManyTx(ctx, *o.tx, params)
	}
	return o.client.InsertMany(ctx, params)
}

func (o riverOps[TTx]) InsertManyFast(ctx context.Context, params []river.InsertManyParams) (int, error) {
	if o.tx != nil {
		return o.client.InsertManyFastTx(ctx, *o.tx, params)
	}
	return o.client.InsertManyFast(ctx, params)
}

func (o riverOps[TTx]) JobCancel(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	if o.tx != nil {
		return o.client.JobCancelTx(ctx, *o.tx, id)
	}
	return o.client.JobCancel(ctx, id)
}

func (o riverOps[TTx]) JobDelete(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	if o.tx != nil {
		return o.client.JobDeleteTx(ctx, *o.tx, id)
	}
	return o.client.JobDelete(ctx, id)
}

func (o riverOps[TTx]) JobDeleteMany(ctx context.Context, params *river.JobDeleteManyParams) (*river.JobDeleteManyResult, error) {
	if o.tx != nil {
		return o.client.JobDeleteManyTx(ctx, *o.tx, params)
	}
	return o.client.JobDeleteMany(ctx, params)
}

func (o riverOps[TTx]) JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	if o.tx != nil {
		return o.client.JobGetTx(ctx, *o.tx, id)
	}
	return o.client.JobGet(ctx, id)
}

func (o riverOps[TTx]) JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error) {
	if o.tx != nil {
		return o.client.JobListTx(ctx, *o.tx, params)
	}
	return o.client.JobList(ctx, params)
}

func (o riverOps[TTx]) JobRetry(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	if o.tx != nil {
		return o.client.JobRetryTx(ctx, *o.tx, id)
	}
	return o.client.JobRetry(ctx, id)
}

func (o riverOps[TTx]) QueueGet(ctx context.Context, name string) (*rivertype.Queue, error) {
	if o.tx != nil {
		return o.client.QueueGetTx(ctx, *o.tx, name)
	}
	return o.client.QueueGet(ctx, name)
}

func (o riverOps[TTx]) QueueList(ctx context.Context, params *river.QueueListParams) (*river.QueueListResult, error) {
	if o.tx != nil {
		return o.client.QueueListTx(ctx, *o.tx, params)
	}
	return o.client.QueueList(ctx, params)
}

func (o riverOps[TTx]) QueuePause(ctx context.Context, name string) error {
	if o.tx != nil {
		return o.client.QueuePauseTx(ctx, *o.tx, name, nil)
	}
	return o.client.QueuePause(ctx, name, nil)
}

func (o riverOps[TTx]) QueueResume(ctx context.Context, name string) error {
	if o.tx != nil {
		return o.client.QueueResumeTx(ctx, *o.tx, name, nil)
	}
	return o.client.QueueResume(ctx, name, nil)
}

func (o riverOps[TTx]) QueueUpdate(ctx context.Context, name string, params *river.QueueUpdateParams) (*rivertype.Queue, error) {
	if o.tx != nil {
		return o.client.QueueUpdateTx(ctx, *o.tx, name, params)
	}
	return o.client.QueueUpdate(ctx, name, params)
}

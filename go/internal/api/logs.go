package api

import (
	"context"
	"time"

	"github.com/pyriver/pyriver/go/internal/logbridge"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register("logs.next", rpc.Typed(logsNext))
}

type logsNextRequest struct {
	TimeoutSeconds float64 `json:"timeout"`
	Max            int     `json:"max"`
}

type logsWire struct {
	Records []logbridge.Record `json:"records"`
	Dropped int                `json:"dropped"`
}

func logsNext(_ context.Context, req *logsNextRequest) (*logsWire, error) {
	timeout := min(time.Duration(req.TimeoutSeconds*float64(time.Second)), maxPollWait)
	records, dropped := logbridge.Logs.Next(timeout, max(req.Max, 1))
	return &logsWire{Records: records, Dropped: dropped}, nil
}

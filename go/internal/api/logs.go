package api

import (
	"context"

	"github.com/pyriver/pyriver/go/internal/logbridge"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.LogsNext, rpc.Typed(logsNext))
}

func logsNext(_ context.Context, req *protocol.LogsNextRequest) (*protocol.Logs, error) {
	records, dropped := logbridge.Logs.Next(pollWait(req.TimeoutSeconds), max(req.Max, 1))
	return protocol.NewLogs(records, dropped), nil
}

package protocol

import (
	"encoding/json"

	"github.com/riverqueue/river"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// QueueRequest names a queue (queue.get, queue.pause, queue.resume,
// queue.update).
type QueueRequest struct {
	Scope
	Name     string          `json:"name"`
	Metadata json.RawMessage `json:"metadata"`
}

// UpdateParams is River's update of the queue's metadata.
func (req *QueueRequest) UpdateParams() (*river.QueueUpdateParams, error) {
	if !isJSONObject(req.Metadata) {
		return nil, apierr.Invalid("metadata", "must be a JSON object")
	}
	return &river.QueueUpdateParams{Metadata: req.Metadata}, nil
}

// QueueListRequest lists queues (queue.list).
type QueueListRequest struct {
	Scope
	Limit *int `json:"limit"`
}

// River converts the request to River's params.
func (req *QueueListRequest) River() (*river.QueueListParams, error) {
	if err := CheckLimit(req.Limit); err != nil {
		return nil, err
	}
	params := river.NewQueueListParams()
	if req.Limit != nil {
		params = params.First(*req.Limit)
	}
	return params, nil
}

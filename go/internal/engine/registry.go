package engine

import (
	"sync"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// Registry hands out integer handles for clients, the only form in which Go
// objects cross to Python. Handles are never reused, so a stale handle held by
// Python after close() is reported as closed rather than reaching another
// client.
type Registry struct {
	mu      sync.Mutex
	next    uint64
	clients map[uint64]Client
}

// Clients is the process-wide registry: one Go runtime serves every Python
// client in the process.
var Clients = &Registry{clients: map[uint64]Client{}} //nolint:gochecknoglobals

// Add stores a client and returns its handle.
func (r *Registry) Add(client Client) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	r.clients[r.next] = client
	return r.next
}

// Get returns the client for a handle, or a Closed error.
func (r *Registry) Get(handle uint64) (Client, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	client, ok := r.clients[handle]
	if !ok {
		return nil, apierr.New(apierr.Closed, "client is closed")
	}
	return client, nil
}

// Remove forgets a handle and returns its client so the caller can close it
// outside the lock. Removing an unknown handle returns nil: close is
// idempotent.
func (r *Registry) Remove(handle uint64) Client {
	r.mu.Lock()
	defer r.mu.Unlock()
	client := r.clients[handle]
	delete(r.clients, handle)
	return client
}

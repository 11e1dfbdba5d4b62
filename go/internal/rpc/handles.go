package rpc

import (
	"sync"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// Handles hands out integer handles for Go objects, the only form in which
// they cross to Python. Handles are never reused, so a stale handle held by
// Python after close() is reported as closed rather than reaching another
// object.
type Handles[T any] struct {
	what    string
	mu      sync.Mutex
	next    uint64
	objects map[uint64]T
}

// NewHandles makes a handle table; what names its objects in errors.
func NewHandles[T any](what string) *Handles[T] {
	return &Handles[T]{what: what, objects: map[uint64]T{}}
}

// Add stores an object and returns its handle.
func (r *Handles[T]) Add(object T) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	r.objects[r.next] = object
	return r.next
}

// Get returns the object for a handle, or a Closed error.
func (r *Handles[T]) Get(handle uint64) (T, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	object, ok := r.objects[handle]
	if !ok {
		return object, apierr.New(apierr.Closed, "%s is closed", r.what)
	}
	return object, nil
}

// Remove forgets a handle and returns its object so the caller can close it
// outside the lock; ok is false if the handle was unknown, which makes close
// idempotent.
func (r *Handles[T]) Remove(handle uint64) (object T, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	object, ok = r.objects[handle]
	delete(r.objects, handle)
	return object, ok
}

// RemoveWhere forgets and returns every object matching keep.
func (r *Handles[T]) RemoveWhere(match func(T) bool) []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	var removed []T
	for handle, object := range r.objects {
		if match(object) {
			removed = append(removed, object)
			delete(r.objects, handle)
		}
	}
	return removed
}

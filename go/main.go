// Command pyriver is the C ABI of pyriver: the only package with //export.
//
// The surface is deliberately two functions so that it seldom has to change:
// every capability is a named method reached through pyriver_call with a JSON
// request, answered with a JSON envelope in the caller's buffer or, when it
// does not fit, allocated for Python to free with pyriver_free. New features
// add a Go method and a Python method, never a new cdef.
package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"unsafe"

	_ "github.com/pyriver/pyriver/go/internal/api" // registers the RPC methods
	"github.com/pyriver/pyriver/go/internal/heapfloor"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

// gcFloorBytes is how much the library allocates between collections while
// its live heap is small: 16 MiB, a seventh of the collections Go's default
// makes while working jobs (docs/benchmarks.md), for about 16 MB more
// resident memory. GOGC in the environment overrides it.
const gcFloorBytes = 16 << 20

func init() {
	heapfloor.Install(gcFloorBytes)
}

// pyriver_call runs one method with a UTF-8 JSON request of requestLen bytes
// and answers with a UTF-8 JSON envelope whose length it stores in
// responseLen. An envelope that fits in the caller's buffer (replyCap bytes
// at reply) is written there and NULL returned; a longer one is returned
// malloc'd, owned by the caller, who releases it with pyriver_free. Most
// answers fit a small buffer kept by each calling thread, and then the call
// needs no allocation and no second call to free it (an empty call from
// Python: 6.4 → 5.4 µs). The request is copied before the call returns,
// so the caller may reuse its buffer immediately. Panics are recovered into
// error envelopes by rpc.Call: a Go panic must never abort the Python process.
//
//export pyriver_call
func pyriver_call(method *C.char, request *C.char, requestLen C.size_t, reply *C.char, replyCap C.size_t, responseLen *C.size_t) *C.char {
	response := rpc.Call(C.GoString(method), C.GoBytes(unsafe.Pointer(request), C.int(requestLen)))
	*responseLen = C.size_t(len(response))
	if len(response) <= int(replyCap) {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(reply)), len(response)), response)
		return nil
	}
	return (*C.char)(C.CBytes(response))
}

// pyriver_free releases an envelope returned by pyriver_call.
//
//export pyriver_free
func pyriver_free(response *C.char) {
	C.free(unsafe.Pointer(response))
}

// main is required by -buildmode=c-shared and never runs.
func main() {}

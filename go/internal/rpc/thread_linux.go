package rpc

import "syscall"

// currentThreadID is the calling OS thread's ID, as Python's
// threading.get_native_id reports it.
func currentThreadID() int { return syscall.Gettid() }

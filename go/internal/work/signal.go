package work

import (
	"os"
	"sync/atomic"
	"syscall"
)

// signal lets a runner wait for work on the readable end of a pipe, as an
// event loop waits on any file, instead of in a blocking Next: an asyncio
// runner then pulls on its own thread when the pipe says there is something
// to pull, with no second thread passing jobs to it (and no contention for
// the GIL between the two).
//
// One byte is written when work arrives with none waiting to be pulled; Next
// clears that state before it takes what is ready, so work arriving after
// it writes again and none is missed.
type signal struct {
	reader   *os.File
	writer   *os.File
	unpulled atomic.Bool
}

func newSignal() (*signal, error) {
	reader, writer, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	return &signal{reader: reader, writer: writer}, nil
}

// raise says work is waiting. It never blocks: with at most one byte per
// pull outstanding the pipe cannot fill.
func (s *signal) raise() {
	if s == nil || !s.unpulled.CompareAndSwap(false, true) {
		return
	}
	_, _ = s.writer.Write([]byte{0}) // after close: os.ErrClosed, and nobody is listening
}

// pulled clears the signal, before a pull takes what is ready.
func (s *signal) pulled() {
	if s != nil {
		s.unpulled.Store(false)
	}
}

// descriptor is a duplicate of the pipe's readable end, owned (and closed)
// by the caller, so that closing the signal never closes a descriptor
// Python still watches (or one the process has reused).
func (s *signal) descriptor() (int, error) {
	conn, err := s.reader.SyscallConn()
	if err != nil {
		return -1, err
	}
	duplicate, dupErr := -1, error(nil)
	if err := conn.Control(func(fd uintptr) { duplicate, dupErr = syscall.Dup(int(fd)) }); err != nil {
		return -1, err
	}
	if dupErr == nil {
		syscall.CloseOnExec(duplicate)
	}
	return duplicate, dupErr
}

// close ends the pipe; a runner watching its duplicate sees end of file.
func (s *signal) close() {
	_ = s.writer.Close()
	_ = s.reader.Close()
}

// Package threadconn gives pgx connections that wait for the network on the
// calling thread, in a poll(2) system call, instead of in Go's network poller.
//
// Why: a call from Python enters Go on Python's own thread, and its goroutine
// stays locked to that thread until the call returns. When such a goroutine
// waits in Go's network poller, the database's answer wakes some other thread
// (the one in epoll_wait), which must then hand the goroutine back to the
// sleeping Python thread with a second wake-up: a chain of two wake-ups per
// round trip, where a Go program has one. A single insert makes three round
// trips (BEGIN, River's insert, COMMIT), and the extra wake-ups were most of
// the gap to native Go (docs/benchmarks.md). Waiting in poll(2) puts the
// calling thread itself to sleep in the kernel, which wakes it directly when
// the answer arrives: one wake-up, as in Go.
//
// Measured on a 2-core machine (docs/benchmarks.md): a single insert from
// Python went from 0.52x to 0.67x a Go program's rate (medians of 5 runs).
//
// The price: while a query runs, the goroutine holds its thread and one of
// Go's processors in a system call, until the runtime takes the processor
// back. That is what a call from Python does anyway, but it slows River's own
// goroutines (sync workers lost a tenth of their rate when every connection
// waited this way), so only the pool of Python's calls uses these
// connections. Deadlines, which pgx uses to cancel a query, wake the poll
// through an eventfd per direction.
//
// Busy polling (opt-in, like Linux's SO_BUSY_POLL): a read may first try the
// socket again and again for a while before it sleeps. On a virtual machine
// a thread that sleeps for the database lets its CPU halt, and the wake-up
// and the cold caches after it cost more than the wait itself: a single
// insert from Python took 1,132 µs against 796 µs with 500 µs of busy polling
// (a Go program: 732 µs), for 29% more CPU per insert (docs/benchmarks.md).
package threadconn

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// DialFunc is pgconn.DialFunc.
type DialFunc = func(ctx context.Context, network, address string) (net.Conn, error)

// Dialer wraps a dial function: the connections it makes are moved off Go's
// network poller, and each read that finds no data tries again for up to
// busyPoll before it sleeps (0: it sleeps at once). A connection that is not
// a socket (a test's pipe, say) is returned as it is.
func Dialer(dial DialFunc, busyPoll time.Duration) DialFunc {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		conn, err := dial(ctx, network, address)
		if err != nil {
			return nil, err
		}
		socket, ok := conn.(syscall.Conn)
		if !ok {
			return conn, nil
		}
		threaded, err := fromSocket(conn, socket, busyPoll)
		_ = conn.Close() // threaded holds a duplicate of the socket (or the dial failed)
		if err != nil {
			return nil, &net.OpError{Op: "dial", Net: network, Err: err}
		}
		return threaded, nil
	}
}

// Conn is a stream socket read and written with system calls that block
// the calling thread. It is safe for one reader and one writer at a time,
// as pgx uses it, and for Close and the deadline setters from anywhere.
type Conn struct {
	fd     int
	read   direction
	write  direction
	local  net.Addr
	remote net.Addr
	// busyPoll is how long a read keeps trying before it sleeps.
	busyPoll time.Duration
	// inUse is held for reading by every Read and Write, and for writing
	// by Close, so that the descriptors are closed only once nothing polls
	// them (a closed descriptor number may be reused at once).
	inUse   sync.RWMutex
	closing atomic.Bool
}

// direction is one way through the connection: its deadline, and the
// eventfd that wakes a poll waiting in that direction when the deadline
// changes or the connection closes.
type direction struct {
	deadline atomic.Int64 // Unix nanoseconds; 0 means none
	wake     int
	events   int16
}

func fromSocket(conn net.Conn, socket syscall.Conn, busyPoll time.Duration) (*Conn, error) {
	raw, err := socket.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var dupErr error
	if err := raw.Control(func(original uintptr) {
		// The duplicate shares the original's open file, non-blocking
		// already; closing the original takes it out of Go's poller.
		fd, dupErr = unix.FcntlInt(original, unix.F_DUPFD_CLOEXEC, 0)
	}); err != nil {
		return nil, err
	}
	if dupErr != nil {
		return nil, dupErr
	}
	c := &Conn{fd: fd, local: conn.LocalAddr(), remote: conn.RemoteAddr(), busyPoll: busyPoll}
	c.read.events, c.write.events = unix.POLLIN, unix.POLLOUT
	for _, d := range []*direction{&c.read, &c.write} {
		d.wake, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
		if err != nil {
			_ = c.closeDescriptors() // the eventfd's error is the one to report
			return nil, err
		}
	}
	return c, nil
}

// Read reads what the socket has, waiting on this thread until it has some:
// busy polling first, if the connection does, then asleep in ppoll.
func (c *Conn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	c.inUse.RLock()
	defer c.inUse.RUnlock()
	var busyUntil time.Time
	for {
		if err := c.usable(&c.read); err != nil {
			return 0, c.opError("read", err)
		}
		n, err := unix.Read(c.fd, b)
		switch {
		case err == nil && n == 0:
			return 0, io.EOF
		case err == nil:
			return n, nil
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.EAGAIN):
			if c.busyPoll > 0 {
				if busyUntil.IsZero() {
					busyUntil = time.Now().Add(c.busyPoll)
				}
				if time.Now().Before(busyUntil) {
					continue // read again, awake; usable still sees a deadline or a close
				}
			}
			if err := c.wait(&c.read); err != nil {
				return 0, c.opError("read", err)
			}
		default:
			return 0, c.opError("read", err)
		}
	}
}

// Write writes all of b, waiting on this thread while the socket's buffer
// is full.
func (c *Conn) Write(b []byte) (int, error) {
	c.inUse.RLock()
	defer c.inUse.RUnlock()
	written := 0
	for written < len(b) {
		if err := c.usable(&c.write); err != nil {
			return written, c.opError("write", err)
		}
		n, err := unix.Write(c.fd, b[written:])
		switch {
		case err == nil:
			written += n
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.EAGAIN):
			if err := c.wait(&c.write); err != nil {
				return written, c.opError("write", err)
			}
		default:
			return written, c.opError("write", err)
		}
	}
	return written, nil
}

// usable reports why a read or write must not start: the connection is
// closing, or the direction's deadline has passed.
func (c *Conn) usable(d *direction) error {
	if c.closing.Load() {
		return net.ErrClosed
	}
	if deadline := d.deadline.Load(); deadline != 0 && time.Now().UnixNano() >= deadline {
		return os.ErrDeadlineExceeded
	}
	return nil
}

// wait blocks the calling thread until the socket is ready in direction d,
// its deadline passes, or the connection closes.
func (c *Conn) wait(d *direction) error {
	for {
		if err := c.usable(d); err != nil {
			return err
		}
		var timeout *unix.Timespec
		if deadline := d.deadline.Load(); deadline != 0 {
			remaining := deadline - time.Now().UnixNano()
			if remaining <= 0 {
				return os.ErrDeadlineExceeded // passed since usable looked: ppoll refuses a negative timeout
			}
			timeout = &unix.Timespec{Sec: remaining / 1e9, Nsec: remaining % 1e9}
		}
		fds := []unix.PollFd{{Fd: int32(c.fd), Events: d.events}, {Fd: int32(d.wake), Events: unix.POLLIN}}
		if _, err := unix.Ppoll(fds, timeout, nil); err != nil && !errors.Is(err, unix.EINTR) {
			return err
		}
		if fds[1].Revents != 0 {
			drain(d.wake)
			continue // the deadline changed or the connection is closing
		}
		if fds[0].Revents != 0 {
			return nil // ready, or an error the read or write will report
		}
	}
}

// Close wakes any waiting read or write, which then fail, and closes the
// socket once they have returned.
func (c *Conn) Close() error {
	if c.closing.Swap(true) {
		return c.opError("close", net.ErrClosed)
	}
	c.wake(&c.read)
	c.wake(&c.write)
	c.inUse.Lock()
	defer c.inUse.Unlock()
	return c.closeDescriptors()
}

func (c *Conn) closeDescriptors() error {
	err := unix.Close(c.fd)
	for _, wake := range []int{c.read.wake, c.write.wake} {
		if wake > 0 {
			_ = unix.Close(wake) // nothing else can fail on an eventfd
		}
	}
	return err
}

func (c *Conn) LocalAddr() net.Addr  { return c.local }
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

func (c *Conn) SetDeadline(t time.Time) error {
	c.setDeadline(&c.read, t)
	c.setDeadline(&c.write, t)
	return nil
}

func (c *Conn) SetReadDeadline(t time.Time) error {
	c.setDeadline(&c.read, t)
	return nil
}

func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.setDeadline(&c.write, t)
	return nil
}

func (c *Conn) setDeadline(d *direction, t time.Time) {
	var deadline int64
	if !t.IsZero() {
		deadline = max(t.UnixNano(), 1)
	}
	if d.deadline.Swap(deadline) == deadline {
		return
	}
	c.inUse.RLock()
	defer c.inUse.RUnlock()
	if !c.closing.Load() {
		c.wake(d) // after Close, the descriptor's number may be another file's
	}
}

// wake makes a poll waiting in direction d look again at its deadline and
// at the connection's state.
func (c *Conn) wake(d *direction) {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	_, _ = unix.Write(d.wake, one[:]) // an eventfd write fails only when its counter is full: it is awake anyway
}

func drain(eventfd int) {
	var counter [8]byte
	_, _ = unix.Read(eventfd, counter[:]) // empty already if another wait drained it
}

func (c *Conn) opError(op string, err error) error {
	network := ""
	if c.remote != nil {
		network = c.remote.Network()
	}
	return &net.OpError{Op: op, Net: network, Source: c.local, Addr: c.remote, Err: err}
}

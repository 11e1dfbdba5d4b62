package threadconn

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pair dials a loopback listener through Dialer and returns both ends: the
// thread-waiting client and the plain server side.
func pair(t *testing.T) (*Conn, net.Conn) {
	t.Helper()
	return pairOn(t, "tcp", "127.0.0.1:0")
}

// pairOn is pair on a listener of the given network and address.
func pairOn(t *testing.T, network, address string) (*Conn, net.Conn) {
	t.Helper()
	return pairPolling(t, network, address, 0)
}

// pairPolling is pairOn with reads that busy poll for busyPoll.
func pairPolling(t *testing.T, network, address string, busyPoll time.Duration) (*Conn, net.Conn) {
	t.Helper()
	listener, err := net.Listen(network, address)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = listener.Close() }()
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := listener.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- conn
	}()
	var dialer net.Dialer
	client, err := Dialer(dialer.DialContext, busyPoll)(context.Background(), network, listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { _ = client.Close(); _ = server.Close() })
	threaded, ok := client.(*Conn)
	if !ok {
		t.Fatalf("Dialer returned %T, want *Conn", client)
	}
	return threaded, server
}

func TestReadsAndWritesBothWays(t *testing.T) {
	client, server := pair(t)
	if _, err := client.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 4)
	if _, err := io.ReadFull(server, got); err != nil || string(got) != "ping" {
		t.Fatalf("server read %q, %v", got, err)
	}
	// The client's read waits on its thread until the server answers.
	go func() {
		time.Sleep(20 * time.Millisecond)
		_, _ = server.Write([]byte("pong"))
	}()
	if _, err := io.ReadFull(client, got); err != nil || string(got) != "pong" {
		t.Fatalf("client read %q, %v", got, err)
	}
	if client.LocalAddr().String() != server.RemoteAddr().String() || client.RemoteAddr().String() != server.LocalAddr().String() {
		t.Fatalf("addresses %v→%v, server sees %v→%v", client.LocalAddr(), client.RemoteAddr(), server.RemoteAddr(), server.LocalAddr())
	}
}

func TestAWriteLargerThanTheSocketBufferWaitsForTheReader(t *testing.T) {
	client, server := pair(t)
	payload := bytes.Repeat([]byte("river "), 4<<20/6) // far beyond loopback's socket buffers
	received := make(chan []byte, 1)
	go func() {
		time.Sleep(50 * time.Millisecond) // the writer fills the buffer and waits first
		data, _ := io.ReadAll(io.LimitReader(server, int64(len(payload))))
		received <- data
	}()
	n, err := client.Write(payload)
	if err != nil || n != len(payload) {
		t.Fatalf("wrote %d of %d: %v", n, len(payload), err)
	}
	if got := <-received; !bytes.Equal(got, payload) {
		t.Fatalf("server received %d bytes, not the %d written", len(got), len(payload))
	}
}

// forEachReadMode runs a test on connections whose reads sleep at once and
// on connections whose reads busy poll longer than any test waits: a
// deadline or a close must end either kind of wait.
func forEachReadMode(t *testing.T, test func(t *testing.T, pair func(*testing.T) (*Conn, net.Conn))) {
	for name, busyPoll := range map[string]time.Duration{"sleeping": 0, "busy polling": time.Minute} {
		t.Run(name, func(t *testing.T) {
			test(t, func(t *testing.T) (*Conn, net.Conn) {
				t.Helper()
				return pairPolling(t, "tcp", "127.0.0.1:0", busyPoll)
			})
		})
	}
}

// threadCPUDuring is the CPU time the calling thread spends in run.
func threadCPUDuring(t *testing.T, run func()) time.Duration {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var usage unix.Rusage
		if err := unix.Getrusage(unix.RUSAGE_THREAD, &usage); err != nil {
			t.Fatal(err)
		}
		return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
	}
	before := cpu()
	run()
	return cpu() - before
}

func TestABusyPollingReadStaysAwakeUntilTheDataArrives(t *testing.T) {
	const delay = 100 * time.Millisecond
	for _, c := range []struct {
		busyPoll time.Duration
		awake    bool
	}{{0, false}, {time.Minute, true}, {10 * time.Millisecond, false}} {
		t.Run(c.busyPoll.String(), func(t *testing.T) {
			client, server := pairPolling(t, "tcp", "127.0.0.1:0", c.busyPoll)
			go func() {
				time.Sleep(delay)
				_, _ = server.Write([]byte("late"))
			}()
			got := make([]byte, 8)
			var n int
			var err error
			cpu := threadCPUDuring(t, func() { n, err = client.Read(got) })
			if err != nil || string(got[:n]) != "late" {
				t.Fatalf("read %q, %v", got[:n], err)
			}
			// Awake, the thread uses most of the wait's CPU (another test
			// may share the core); asleep, almost none of it.
			if c.awake && cpu < delay/4 {
				t.Fatalf("busy polling for %v used %v of CPU waiting %v: it slept", c.busyPoll, cpu, delay)
			}
			if !c.awake && cpu > delay/4 {
				t.Fatalf("busy polling for %v used %v of CPU waiting %v: it did not sleep", c.busyPoll, cpu, delay)
			}
		})
	}
}

func TestReadReportsEndOfFileWhenThePeerCloses(t *testing.T) {
	client, server := pair(t)
	_ = server.Close()
	if _, err := client.Read(make([]byte, 8)); !errors.Is(err, io.EOF) {
		t.Fatalf("read after the peer closed: %v, want io.EOF", err)
	}
}

func TestADeadlineSetWhileWaitingEndsTheRead(t *testing.T) {
	forEachReadMode(t, func(t *testing.T, pair func(*testing.T) (*Conn, net.Conn)) {
		client, _ := pair(t)
		go func() {
			time.Sleep(20 * time.Millisecond)
			_ = client.SetDeadline(time.Unix(1, 0)) // as pgx does to cancel a query
		}()
		started := time.Now()
		_, err := client.Read(make([]byte, 8))
		assertTimeout(t, err)
		if waited := time.Since(started); waited > 2*time.Second {
			t.Fatalf("the read ended %v after its deadline was set", waited)
		}
	})
}

func TestAFutureDeadlineEndsTheReadWhenItPasses(t *testing.T) {
	forEachReadMode(t, func(t *testing.T, pair func(*testing.T) (*Conn, net.Conn)) {
		client, server := pair(t)
		_ = client.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
		started := time.Now()
		_, err := client.Read(make([]byte, 8))
		assertTimeout(t, err)
		if waited := time.Since(started); waited < 25*time.Millisecond {
			t.Fatalf("the read gave up after %v, before its deadline", waited)
		}
		// Cleared, the deadline no longer applies.
		_ = client.SetReadDeadline(time.Time{})
		_, _ = server.Write([]byte("x"))
		if _, err := client.Read(make([]byte, 8)); err != nil {
			t.Fatalf("read after clearing the deadline: %v", err)
		}
	})
}

func TestAPassedDeadlineRefusesAWrite(t *testing.T) {
	client, _ := pair(t)
	_ = client.SetWriteDeadline(time.Now().Add(-time.Second))
	_, err := client.Write([]byte("late"))
	assertTimeout(t, err)
}

func TestCloseEndsAWaitingReadAndClosesOnce(t *testing.T) {
	forEachReadMode(t, func(t *testing.T, pair func(*testing.T) (*Conn, net.Conn)) {
		client, _ := pair(t)
		result := make(chan error, 1)
		go func() {
			_, err := client.Read(make([]byte, 8))
			result <- err
		}()
		time.Sleep(20 * time.Millisecond)
		if err := client.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
		if err := <-result; !errors.Is(err, net.ErrClosed) {
			t.Fatalf("read ended by close: %v, want net.ErrClosed", err)
		}
		if err := client.Close(); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("second close: %v, want net.ErrClosed", err)
		}
		if err := client.SetDeadline(time.Now()); err != nil {
			t.Fatalf("a deadline set after close: %v", err)
		}
	})
}

func TestAConnectionThatIsNotASocketIsReturnedAsItIs(t *testing.T) {
	pipe, other := net.Pipe()
	defer func() { _ = other.Close() }()
	dial := func(context.Context, string, string) (net.Conn, error) { return pipe, nil }
	conn, err := Dialer(dial, 0)(context.Background(), "pipe", "")
	if err != nil || conn != pipe {
		t.Fatalf("got %v, %v; want the pipe itself", conn, err)
	}
}

func TestADialErrorIsReturned(t *testing.T) {
	refused := errors.New("refused")
	dial := func(context.Context, string, string) (net.Conn, error) { return nil, refused }
	if _, err := Dialer(dial, 0)(context.Background(), "tcp", "nowhere:1"); !errors.Is(err, refused) {
		t.Fatalf("got %v, want the dialer's error", err)
	}
}

func assertTimeout(t *testing.T, err error) {
	t.Helper()
	var netErr net.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("got %v, want a timeout (os.ErrDeadlineExceeded)", err)
	}
}

// A deadline that passes between the check and the wait is a timeout too,
// never ppoll's refusal of a negative timeout.
func TestADeadlinePassingJustBeforeTheWaitIsATimeout(t *testing.T) {
	client, _ := pair(t)
	buffer := make([]byte, 8)
	for i := range 2000 {
		_ = client.SetReadDeadline(time.Now().Add(time.Duration(i%5) * time.Microsecond))
		_, err := client.Read(buffer)
		assertTimeout(t, err)
	}
}

// PostgreSQL's local connections are Unix-domain sockets.
func TestAUnixSocketWorksAndReportsItsErrors(t *testing.T) {
	client, server := pairOn(t, "unix", filepath.Join(t.TempDir(), ".s.PGSQL.5432"))
	go func() { _, _ = server.Write([]byte("ok")) }()
	got := make([]byte, 2)
	if _, err := io.ReadFull(client, got); err != nil || string(got) != "ok" {
		t.Fatalf("read %q, %v", got, err)
	}
	_ = client.SetReadDeadline(time.Unix(1, 0))
	_, err := client.Read(got)
	assertTimeout(t, err)
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Net != "unix" {
		t.Fatalf("error %v does not name the unix network", err)
	}
}

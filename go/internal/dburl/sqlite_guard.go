package dburl

import (
	"context"
	"database/sql/driver"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"modernc.org/sqlite"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// One SQLite library per file per process.
//
// Python's sqlite3 (or pysqlite3) and this library's SQLite are separate
// copies of SQLite. POSIX locks belong to the process: two copies in one
// process never block each other, and closing a descriptor in one drops the
// other's locks, so two copies writing one file corrupt it ("How To Corrupt
// An SQLite Database File", §2.2). Before this library opens a SQLite file,
// and before each transaction on it, it counts the process's descriptors on
// the file: one more than its own open connections hold means another
// library has it open, and the operation is refused before anything is
// written. The check runs before every statement too: River also reads and
// writes outside transactions. (On systems without /proc it is skipped.) A
// count stands until the file is next opened or closed (sqlite_opens.go).

// ErrSharedSQLiteFile is returned when another SQLite library in this
// process has the file open.
var ErrSharedSQLiteFile = apierr.New(apierr.Database, "%s", "this SQLite file is also open in this process through "+
	"another SQLite library (Python's sqlite3 or pysqlite3), and two SQLite libraries writing one file in one process "+
	"corrupt it: run River's operations on that connection with client.on(conn), or use pyriver's client in another process")

// goConnections counts this library's descriptors per file, process-wide:
// those of open connections, and those SQLite keeps after a connection
// closes while another of this library's connections on the file holds
// locks (closing them would drop that connection's POSIX locks; SQLite
// closes them once the locks are gone).
var goConnections = struct { //nolint:gochecknoglobals // the process's own descriptors, by file
	sync.Mutex
	byFile   map[fileID]int
	deferred map[fileID]int
}{byFile: map[fileID]int{}, deferred: map[fileID]int{}}

// ownDescriptors is this library's count for the file; goConnections must
// be locked.
func ownDescriptors(file fileID) int {
	return goConnections.byFile[file] + goConnections.deferred[file]
}

// recountKept sets the descriptors SQLite keeps for the file from the
// process's count of them (SQLite closes kept ones when their locks go);
// goConnections must be locked.
func recountKept(file fileID, descriptors int) {
	goConnections.deferred[file] = max(0, descriptors-goConnections.byFile[file])
}

type fileID struct{ dev, ino uint64 }

func identify(path string) (fileID, bool) {
	var stat syscall.Stat_t
	if err := syscall.Stat(path, &stat); err != nil {
		return fileID{}, false
	}
	return fileID{dev: uint64(stat.Dev), ino: stat.Ino}, true //nolint:unconvert // Dev's type differs by platform
}

// descriptorsOn counts the process's open descriptors on the file; ok is
// false where /proc/self/fd cannot be read.
func descriptorsOn(file fileID) (count int, ok bool) {
	descriptorScans.Add(1)
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	for _, entry := range entries {
		if target, found := identify(filepath.Join("/proc/self/fd", entry.Name())); found && target == file {
			count++
		}
	}
	return count, true
}

// checkShared returns ErrSharedSQLiteFile if descriptors on the file other
// than this library's connections exist.
func checkShared(path string) error {
	file, exists := identify(path)
	if !exists {
		return nil // not created yet: nobody has it open
	}
	return checkSharedFile(path, file)
}

// connectionsChanging is held for writing while this library opens or
// closes a connection (its descriptor exists before it is counted, and after
// it is uncounted), and for reading while descriptors are counted, so that
// one client's connection opening or closing never looks like a foreign one
// to another client's check.
var connectionsChanging sync.RWMutex //nolint:gochecknoglobals // guards goConnections' consistency with /proc

func checkSharedFile(path string, file fileID) error {
	connectionsChanging.RLock()
	defer connectionsChanging.RUnlock()
	if countStillCurrent(file) {
		return nil // nothing opened or closed the file since it was counted (sqlite_opens.go)
	}
	startCount(path, file)
	count, ok := descriptorsOn(file)
	if !ok {
		return nil
	}
	goConnections.Lock()
	defer goConnections.Unlock()
	if count > ownDescriptors(file) {
		return ErrSharedSQLiteFile
	}
	recountKept(file, count)
	countFoundNoForeignDescriptor(file)
	return nil
}

// SQLiteFileInUse reports whether this library has a connection open on the
// file at path, for refusing to run statements on an application's sqlite3
// connection to it.
func SQLiteFileInUse(path string) bool {
	file, exists := identify(path)
	if !exists {
		return false
	}
	goConnections.Lock()
	defer goConnections.Unlock()
	return goConnections.byFile[file] > 0
}

// guardedConnector opens modernc.org/sqlite connections that check, as
// described above, when they open and when a transaction begins.
type guardedConnector struct {
	path string
	dsn  string
}

func (c *guardedConnector) Driver() driver.Driver { return &sqlite.Driver{} }

func (c *guardedConnector) Connect(context.Context) (driver.Conn, error) {
	if err := checkShared(c.path); err != nil {
		return nil, err
	}
	connectionsChanging.Lock()
	defer connectionsChanging.Unlock()
	inner, err := (&sqlite.Driver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	file, _ := identify(c.path) // the file exists now that SQLite opened it
	goConnections.Lock()
	goConnections.byFile[file]++
	goConnections.Unlock()
	return &guardedConn{inner: inner, path: c.path, file: file}, nil
}

// guardedConn is a modernc.org/sqlite connection that counts itself and
// checks for other libraries' descriptors before each transaction and
// statement.
type guardedConn struct {
	inner driver.Conn
	path  string
	file  fileID
}

var (
	_ driver.ConnBeginTx        = (*guardedConn)(nil)
	_ driver.ExecerContext      = (*guardedConn)(nil)
	_ driver.QueryerContext     = (*guardedConn)(nil)
	_ driver.ConnPrepareContext = (*guardedConn)(nil)
)

// check refuses a statement on a file that was deleted or replaced since the
// connection opened it (SQLite would go on writing to the deleted file, and
// every acknowledged write would be lost), or that another SQLite library in
// the process has open.
func (c *guardedConn) check() error {
	if file, exists := identify(c.path); !exists || file != c.file {
		return apierr.New(apierr.Database,
			"the SQLite file %s was deleted or replaced while this client had it open; writes to it would be lost: "+
				"close the client and open it again", c.path)
	}
	return checkSharedFile(c.path, c.file)
}

func (c *guardedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.inner.(driver.ConnBeginTx).BeginTx(ctx, opts) //nolint:forcetypeassert // modernc's connection implements it
}

func (c *guardedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.inner.(driver.ExecerContext).ExecContext(ctx, query, args) //nolint:forcetypeassert // as above
}

func (c *guardedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.inner.(driver.QueryerContext).QueryContext(ctx, query, args) //nolint:forcetypeassert // as above
}

func (c *guardedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner.(driver.ConnPrepareContext).PrepareContext(ctx, query) //nolint:forcetypeassert // as above
}

func (c *guardedConn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }

// Begin is required by driver.Conn; database/sql itself calls BeginTx.
func (c *guardedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *guardedConn) Close() error {
	connectionsChanging.Lock()
	defer connectionsChanging.Unlock()
	err := c.inner.Close()
	goConnections.Lock()
	defer goConnections.Unlock()
	goConnections.byFile[c.file]--
	if goConnections.byFile[c.file] == 0 {
		delete(goConnections.deferred, c.file) // the last connection: SQLite closed every descriptor
		stopWatching(c.file)
	} else if count, ok := descriptorsOn(c.file); ok {
		recountKept(c.file, count)
	}
	return err
}

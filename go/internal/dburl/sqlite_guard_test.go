package dburl

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Another library's connection is, to the guard, a descriptor on the file
// that none of this library's connections holds.
func TestSQLiteRefusesAFileOpenElsewhereInTheProcess(t *testing.T) {
	ctx := context.Background()
	db, path := openTable(t, "guard.db")
	if !SQLiteFileInUse(path) {
		t.Error("this library's open connection is not reported")
	}

	foreign, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.SQLite.ExecContext(ctx, "INSERT INTO t VALUES (1)")
	if !errors.Is(err, ErrSharedSQLiteFile) {
		t.Fatalf("statement with a foreign descriptor open: %v", err)
	}
	if _, err := db.SQLite.BeginTx(ctx, nil); !errors.Is(err, ErrSharedSQLiteFile) {
		t.Fatalf("transaction with a foreign descriptor open: %v", err)
	}
	if err := foreign.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := db.SQLite.ExecContext(ctx, "INSERT INTO t VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	var count int
	if err := db.SQLite.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&count); err != nil || count != 1 {
		t.Fatalf("rows: %d, %v", count, err)
	}
}

func TestSQLiteDoesNotOpenAFileAnotherLibraryHasOpen(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "guard.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	foreign, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = foreign.Close() }()
	db, err := Open(ctx, "sqlite:///"+path)
	if err != nil {
		t.Fatal(err) // opening is lazy: nothing touches the file yet
	}
	defer db.Close()
	if err := db.SQLite.PingContext(ctx); !errors.Is(err, ErrSharedSQLiteFile) {
		t.Fatalf("first connection: %v", err)
	}
	if SQLiteFileInUse(path) {
		t.Error("a refused connection is counted")
	}
}

// A file deleted under an open client is reported, not written to.
func TestDeletedFileIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "deleted.db")
	db, err := Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQLite.ExecContext(ctx, "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQLite.ExecContext(ctx, "INSERT INTO t VALUES (1)"); err == nil || !strings.Contains(err.Error(), "deleted or replaced") {
		t.Fatalf("insert into a deleted file: %v", err)
	}
}

// Two clients of this library on one file: closing one leaves descriptors
// SQLite keeps for the other's locks, which are not a foreign library's.
func TestClosingOneOfTwoConnectionsIsNotAForeignLibrary(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "two.db")
	first, err := Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := first.SQLite.ExecContext(ctx, "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	second, err := Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := second.SQLite.ExecContext(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	second.Close()
	if _, err := first.SQLite.ExecContext(ctx, "INSERT INTO t VALUES (2)"); err != nil {
		t.Fatalf("after the second connection closed: %v", err)
	}
	foreign, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = foreign.Close() }()
	if _, err := first.SQLite.ExecContext(ctx, "INSERT INTO t VALUES (3)"); !errors.Is(err, ErrSharedSQLiteFile) {
		t.Fatalf("a foreign descriptor opened afterwards: %v", err)
	}
}

// The count stands while nothing opens or closes the file, and a later open
// is still caught: inotify reports it.
func TestACountStandsUntilTheFileIsOpenedOrClosed(t *testing.T) {
	ctx := context.Background()
	db, path := openTable(t, "opens.db")
	insert := func() error {
		_, err := db.SQLite.ExecContext(ctx, "INSERT INTO t VALUES (1)")
		return err
	}
	if err := insert(); err != nil {
		t.Fatal(err)
	}
	before := descriptorScans.Load()
	for range 20 {
		if err := insert(); err != nil {
			t.Fatal(err)
		}
	}
	if scans := descriptorScans.Load() - before; scans != 0 {
		t.Fatalf("%d scans of /proc/self/fd for 20 statements on a file nobody opened", scans)
	}

	foreign, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := insert(); !errors.Is(err, ErrSharedSQLiteFile) {
		t.Fatalf("statement after a foreign open: %v", err)
	}
	if err := insert(); !errors.Is(err, ErrSharedSQLiteFile) {
		t.Fatalf("a second statement with the foreign descriptor still open: %v", err)
	}
	if err := foreign.Close(); err != nil {
		t.Fatal(err)
	}
	if err := insert(); err != nil {
		t.Fatalf("statement after the foreign descriptor closed: %v", err)
	}
	before = descriptorScans.Load()
	if err := insert(); err != nil {
		t.Fatal(err)
	}
	if scans := descriptorScans.Load() - before; scans != 0 {
		t.Fatalf("%d scans once the file was counted again", scans)
	}
}

// openTable opens a SQLite file named name in a temporary directory, with a
// table t, for tests of the guard, which need /proc/self/fd.
func openTable(t *testing.T, name string) (*Database, string) {
	t.Helper()
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	path := filepath.Join(t.TempDir(), name)
	db, err := Open(context.Background(), "sqlite:///"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.SQLite.ExecContext(context.Background(), "CREATE TABLE t (x integer)"); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// The guard's first check in a process happens before its inotify instance
// exists; it must read nothing but that instance, never descriptor 0 (an
// interactive Python's terminal). Run in a fresh process, whose standard
// input is a pipe holding a line.
func TestTheGuardNeverReadsStandardInput(t *testing.T) {
	if os.Getenv("PYRIVER_GUARD_STDIN_CHILD") == "1" {
		_, _ = openTable(t, "stdin.db") // opening and a statement: the guard's first checks
		line := make([]byte, 16)
		n, _ := os.Stdin.Read(line)
		if string(line[:n]) != "keep\n" {
			t.Fatalf("standard input holds %q after the guard's checks, want %q", line[:n], "keep\n")
		}
		return
	}
	child := exec.Command(os.Args[0], "-test.run=^TestTheGuardNeverReadsStandardInput$", "-test.count=1")
	child.Env = append(os.Environ(), "PYRIVER_GUARD_STDIN_CHILD=1")
	child.Stdin = strings.NewReader("keep\n")
	if output, err := child.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, output)
	}
}

package dburl

import (
	"encoding/binary"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Counting the process's descriptors on a SQLite file (the guard in
// sqlite_guard.go) reads /proc/self/fd and stats every descriptor, before
// every transaction and statement: 10% of a single insert's CPU in a Python
// process (about 230 µs of 2.2 ms), more with more files open. The count can
// only change when some descriptor on the file is opened or closed, and
// inotify reports every open and close of a file's inode, by any process
// and under any path. So each file is watched, and a count that found no
// foreign descriptor stands until the file is next opened or closed.
//
// Descriptors made without opening the file (dup(2), or one received over a
// socket) raise no event: a descriptor the library does not itself open is
// seen only if it exists when the watch starts. Where inotify is unavailable
// (its limits reached, a file system without it), every check counts.
//
//nolint:gochecknoglobals // one inotify instance for the process's files
var opens = struct {
	sync.Mutex
	once sync.Once
	fd   int // the inotify instance: read it through instance()
	// current holds the files whose last count found no foreign descriptor
	// and that nobody opened or closed since.
	current map[fileID]bool
	watches map[fileID]int32
	files   map[int32]fileID
}{current: map[fileID]bool{}, watches: map[fileID]int32{}, files: map[int32]fileID{}}

// descriptorScans counts the scans of /proc/self/fd, for tests.
var descriptorScans atomic.Int64 //nolint:gochecknoglobals // a counter

const watchedEvents = unix.IN_OPEN | unix.IN_CLOSE_WRITE | unix.IN_CLOSE_NOWRITE

// countStillCurrent reports whether the file's last count still holds:
// nothing opened or closed it since. Callers hold connectionsChanging.
func countStillCurrent(file fileID) bool {
	opens.Lock()
	defer opens.Unlock()
	drainEvents()
	return opens.current[file]
}

// startCount is called before the file's descriptors are counted: it
// watches the file (from now on, any open or close is an event) and forgets
// the previous count, which the new one replaces.
func startCount(path string, file fileID) {
	opens.Lock()
	defer opens.Unlock()
	drainEvents()
	delete(opens.current, file)
	fd := instance()
	if _, watched := opens.watches[file]; watched || fd < 0 {
		return
	}
	wd, err := unix.InotifyAddWatch(fd, path, watchedEvents)
	if err != nil {
		return // counted every time
	}
	if identified, ok := identify(path); !ok || identified != file {
		_, _ = unix.InotifyRmWatch(fd, uint32(wd)) //nolint:gosec // a watch descriptor is never negative
		return                                     // replaced meanwhile: the caller's check reports it
	}
	opens.watches[file], opens.files[int32(wd)] = int32(wd), file //nolint:gosec // as above
}

// countFoundNoForeignDescriptor lets the count stand until the next event.
func countFoundNoForeignDescriptor(file fileID) {
	opens.Lock()
	defer opens.Unlock()
	if _, watched := opens.watches[file]; watched {
		opens.current[file] = true
	}
}

// stopWatching ends the watch when this library's last connection on the
// file is closed.
func stopWatching(file fileID) {
	opens.Lock()
	defer opens.Unlock()
	if wd, watched := opens.watches[file]; watched {
		_, _ = unix.InotifyRmWatch(instance(), uint32(wd)) //nolint:gosec // a watch descriptor is never negative
		forget(file)
	}
}

func forget(file fileID) {
	delete(opens.files, opens.watches[file])
	delete(opens.watches, file)
	delete(opens.current, file)
}

// instance is the process's inotify instance, made on first use; -1 if it
// could not be made. opens.fd is read only through it: until the instance
// is made, the field holds 0, which is standard input's descriptor.
func instance() int {
	opens.once.Do(func() {
		var err error
		if opens.fd, err = unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC); err != nil {
			opens.fd = -1
		}
	})
	return opens.fd
}

// drainEvents reads every pending event: each file opened or closed needs a
// new count. opens must be locked.
func drainEvents() {
	fd := instance()
	if fd < 0 {
		return
	}
	var buffer [4096]byte
	for {
		n, err := unix.Read(fd, buffer[:])
		if err != nil || n <= 0 {
			return // EAGAIN: none left
		}
		for offset := 0; offset+unix.SizeofInotifyEvent <= n; {
			wd := int32(binary.NativeEndian.Uint32(buffer[offset:])) //nolint:gosec // the kernel's int32, as written
			mask := binary.NativeEndian.Uint32(buffer[offset+4:])
			nameLength := int(binary.NativeEndian.Uint32(buffer[offset+12:]))
			offset += unix.SizeofInotifyEvent + nameLength
			switch file, known := opens.files[wd]; {
			case mask&unix.IN_Q_OVERFLOW != 0:
				clear(opens.current) // events were lost: count everything again
			case known && mask&unix.IN_IGNORED != 0:
				forget(file) // the kernel ended the watch (the file was deleted)
			case known:
				delete(opens.current, file)
			}
		}
	}
}

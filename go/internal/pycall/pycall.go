// Package pycall calls a Python function from Go on the thread that called
// into Go, through CPython's stable C API found in the running process.
//
// Why: an operation on the application's connection makes River's code wait
// for Python to run each statement. Handing the statement to another thread
// and back costs several operating-system wake-ups per statement (50 to 100
// µs each on a virtual machine, more than River's own work); calling Python
// on the same thread costs none. cffi's own callbacks are not used because
// they need memory that is both writable and executable, which hardened
// systems refuse; the C API needs no generated code at all.
//
// Only functions of CPython's stable ABI are used (the same in every Python
// 3 version), looked up at run time, so the library stays free of any
// per-Python-version build. Where they cannot be found (a Python that loaded
// its runtime privately), Available is false and callers keep the pull model.
package pycall

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/types.h>

typedef void PyObject;

static int (*gil_ensure)(void);
static void (*gil_release)(int);
static PyObject *(*call_with_args)(PyObject *, ...);
static PyObject *(*bytes_from)(const char *, ssize_t);
static int (*bytes_view)(PyObject *, char **, ssize_t *);
static void (*dec_ref)(PyObject *);
static void (*error_fetch)(PyObject **, PyObject **, PyObject **);
static void (*error_normalize)(PyObject **, PyObject **, PyObject **);

static int pycall_load(void) {
	gil_ensure = dlsym(RTLD_DEFAULT, "PyGILState_Ensure");
	gil_release = dlsym(RTLD_DEFAULT, "PyGILState_Release");
	call_with_args = dlsym(RTLD_DEFAULT, "PyObject_CallFunctionObjArgs");
	bytes_from = dlsym(RTLD_DEFAULT, "PyBytes_FromStringAndSize");
	bytes_view = dlsym(RTLD_DEFAULT, "PyBytes_AsStringAndSize");
	dec_ref = dlsym(RTLD_DEFAULT, "Py_DecRef");
	error_fetch = dlsym(RTLD_DEFAULT, "PyErr_Fetch");
	error_normalize = dlsym(RTLD_DEFAULT, "PyErr_NormalizeException");
	return gil_ensure && gil_release && call_with_args && bytes_from && bytes_view && dec_ref && error_fetch &&
		error_normalize;
}

// An exception that escaped the function (raised before its own handler
// could run, such as KeyboardInterrupt at its first instruction) is handed
// to keep(exception), so that Python raises it once the call into Go ends,
// rather than leaving it set on a thread that returns a value.
static void keep_raised(PyObject *keep) {
	PyObject *type = NULL, *value = NULL, *traceback = NULL;
	error_fetch(&type, &value, &traceback);
	if (type == NULL) {
		return;
	}
	error_normalize(&type, &value, &traceback);
	PyObject *kept = call_with_args(keep, value, NULL);
	dec_ref(kept);
	dec_ref(type);
	dec_ref(value);
	dec_ref(traceback);
	error_fetch(&type, &value, &traceback); // keep itself failing leaves nothing set either
	dec_ref(type);
	dec_ref(value);
	dec_ref(traceback);
}

// Calls function(bytes) holding the GIL and returns a malloc'd copy of the
// bytes it returned, or NULL when it returned something else or raised.
static char *pycall_bytes(uintptr_t function_id, uintptr_t keep_id, const char *data, size_t length, size_t *out_length) {
	PyObject *function = (PyObject *)function_id, *keep = (PyObject *)keep_id;
	int gil = gil_ensure();
	char *out = NULL;
	PyObject *argument = bytes_from(data, (ssize_t)length);
	PyObject *result = argument == NULL ? NULL : call_with_args(function, argument, NULL);
	dec_ref(argument);
	char *view;
	ssize_t size;
	if (result != NULL && bytes_view(result, &view, &size) == 0) {
		out = malloc(size > 0 ? (size_t)size : 1);
		if (out != NULL) {
			memcpy(out, view, (size_t)size);
			*out_length = (size_t)size;
		}
	}
	dec_ref(result);
	keep_raised(keep);
	gil_release(gil);
	return out;
}
*/
import "C"

import (
	"errors"
	"sync"
	"unsafe"
)

var loaded = sync.OnceValue(func() bool { return C.pycall_load() != 0 }) //nolint:gochecknoglobals // looked up once per process

// Available says whether Python's C API was found in this process.
func Available() bool { return loaded() }

// Function is a Python callable taking bytes and returning bytes, named by
// its address (CPython's id()), with keep, a callable that receives any
// exception escaping it. Python keeps both alive for as long as Go may call
// them: that is the caller's whole contract.
type Function struct {
	Callable uintptr
	Keep     uintptr
}

// ErrFailed is a call whose function raised or returned something other
// than bytes; what it raised was given to Keep.
var ErrFailed = errors.New("pyriver: the Python function called from Go failed")

// Call runs the function with the GIL on the calling thread. It must be
// called on a goroutine serving a call from Python (whose thread Python
// released the GIL on), or on any thread Python knows nothing of.
func (f Function) Call(argument []byte) ([]byte, error) {
	if !loaded() {
		return nil, errors.New("pyriver: Python's C API is not available in this process")
	}
	var data *C.char
	if len(argument) > 0 {
		data = (*C.char)(unsafe.Pointer(&argument[0]))
	}
	var length C.size_t
	out := C.pycall_bytes(C.uintptr_t(f.Callable), C.uintptr_t(f.Keep), data, C.size_t(len(argument)), &length)
	if out == nil {
		return nil, ErrFailed
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(length)), nil
}

package api

import (
	"context"
	"maps"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/riverqueue/river/rivershared/util/sliceutil"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
)

func init() {
	rpc.Register(protocol.LibraryPing, rpc.Typed(ping))
	rpc.Register(protocol.LibraryInfo, rpc.Typed(libraryInfo))
	rpc.Register(protocol.LibraryDescribe, rpc.Typed(describe))
}

// ping does nothing: it measures the cost of one trip through the C boundary.
func ping(context.Context, *protocol.Empty) (bool, error) { return true, nil }

// libraryInfo reports what the library was built from, read from Go's own
// build information so that it cannot drift from go.mod.
func libraryInfo(context.Context, *protocol.Empty) (*protocol.BuildInfo, error) {
	info := &protocol.BuildInfo{Go: runtime.Version()}
	if build, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range build.Deps {
			if dep.Path == "github.com/riverqueue/river" {
				info.River = dep.Version
			}
		}
	}
	return info, nil
}

// describe reports the contract as this library implements it, so that
// Python's test can compare its own half with it.
func describe(context.Context, *protocol.Empty) (*protocol.Description, error) {
	return &protocol.Description{
		Methods:      rpc.Methods(),
		JobRowFields: protocol.JobRowFields,
		ErrorCodes:   sliceutil.Map(apierr.Codes, func(code apierr.Code) string { return string(code) }),
		AppMethods:   slices.Sorted(maps.Keys(protocol.AppMethods)),
	}, nil
}

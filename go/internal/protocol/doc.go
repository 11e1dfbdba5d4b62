// Package protocol is the contract between pyriver's Python package and its
// Go library: the method names, every request and response shape, and their
// translation to and from River's types. It is the only package with JSON
// tags; Python's twin is src/pyriver/_bridge.
//
// Conventions, the same for every method:
//   - method names are "area.verb" in snake case (job.get, queue.pause);
//   - keys are snake case and name their unit: a duration is float seconds
//     under a key ending in _seconds, a time is integer microseconds since the
//     Unix epoch in UTC under a key ending in _us (exact in both languages and
//     the precision PostgreSQL stores);
//   - a job row travels as an array in JobRowFields order, not an object: a
//     batch insert returns thousands of rows, and repeating every key in each
//     would nearly double what Python decodes;
//   - JSON text River stores (args, metadata, output) travels as a string, so
//     that Python sees exactly River's bytes.
//
// Decoding rejects unknown keys (see package rpc): a Python half and a Go
// half from different builds fail loudly instead of ignoring each other.
package protocol

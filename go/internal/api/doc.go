// Package api holds the library's method handlers, one file per area. Each
// handler decodes nothing and encodes nothing itself: the shapes and their
// translation to River's types are package protocol's; the handler resolves
// handles, calls River through package engine and classifies errors.
package api

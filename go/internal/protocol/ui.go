package protocol

import (
	"net"
	"strconv"

	"github.com/pyriver/pyriver/go/internal/apierr"
)

// UIOpenRequest serves River UI for a client (ui.open): on an HTTP server of
// its own when Host is set (Client.serve_ui, `pyriver ui`), otherwise one
// request at a time through ui.request (Python's ASGI and WSGI apps).
type UIOpenRequest struct {
	ClientRequest
	// Prefix is the path River UI is served under ("" or "/riverui").
	Prefix string `json:"prefix"`
	Host   string `json:"host"`
	Port   int    `json:"port"`
	// Username and Password, when set, require HTTP basic auth.
	Username string `json:"username"`
	Password string `json:"password"`
}

// Validate checks the port and that basic auth is all or nothing.
func (req *UIOpenRequest) Validate() error {
	if req.Port < 0 || req.Port > 65535 {
		return apierr.Invalid("port", "port must be from 0 (any free port) to 65535, not %d", req.Port)
	}
	if (req.Username == "") != (req.Password == "") {
		return apierr.Invalid("password", "basic auth needs both a username and a password")
	}
	return nil
}

// Listen is the address to listen on, "" for a UI served through ui.request.
func (req *UIOpenRequest) Listen() string {
	if req.Host == "" {
		return ""
	}
	return net.JoinHostPort(req.Host, strconv.Itoa(req.Port))
}

// UIOpened is an open River UI: its handle and, on a server of its own, its URL.
type UIOpened struct {
	UI  uint64 `json:"ui"`
	URL string `json:"url"`
}

// UIHTTPRequest is one HTTP request for a mounted River UI (ui.request).
type UIHTTPRequest struct {
	UI     uint64 `json:"ui"`
	Method string `json:"method"`
	// Target is the path, with the mount prefix, and the query string.
	Target  string      `json:"target"`
	Headers [][2]string `json:"headers"`
	Body    []byte      `json:"body"`
}

// UIHTTPResponse is River UI's answer to a UIHTTPRequest.
type UIHTTPResponse struct {
	Status  int         `json:"status"`
	Headers [][2]string `json:"headers"`
	Body    []byte      `json:"body"`
}

// UIHandleRequest names an open River UI (ui.close).
type UIHandleRequest struct {
	UI uint64 `json:"ui"`
}

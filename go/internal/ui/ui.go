// Package ui serves River UI (riverqueue.com/riverui) for a pyriver client,
// in-process: on an HTTP server of its own, or one request at a time for
// Python's ASGI and WSGI apps, which hand each request to River UI's
// handler here.
package ui

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"time"

	"riverqueue.com/riverui"
	"riverqueue.com/riverui/uiendpoints"

	"github.com/pyriver/pyriver/go/internal/apierr"
	"github.com/pyriver/pyriver/go/internal/logbridge"
)

// Options say where River UI is served and who may see it.
type Options struct {
	// Prefix is the path River UI lives under ("" for the root).
	Prefix string
	// Listen is host:port for a server of its own; "" for a mounted UI.
	Listen string
	// Username and Password require HTTP basic auth when set.
	Username, Password string
}

// UI is River UI's handler, started, and its HTTP server if it has one.
type UI struct {
	handler http.Handler
	stop    context.CancelFunc
	server  *http.Server
	// listener is the server's socket, closed by Close itself: a Serve
	// goroutine that has not started yet would leave it open (accepting
	// connections it then resets) until it runs.
	listener net.Listener
	// URL is where a UI with its own server is reached ("" when mounted).
	URL string
}

// Open starts River UI on a client's endpoints.
func Open(endpoints uiendpoints.Bundle, options Options) (*UI, error) {
	riverUI, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: endpoints,
		Logger:    logbridge.Logger(),
		Prefix:    options.Prefix,
	})
	if err != nil {
		return nil, apierr.Invalid("prefix", "River UI: %v", err)
	}
	// River UI's background services (its caches) run until Close.
	ctx, stop := context.WithCancel(context.Background())
	if err := riverUI.Start(ctx); err != nil {
		stop()
		return nil, err
	}
	ui := &UI{handler: withBasicAuth(riverUI, options.Username, options.Password), stop: stop}
	if options.Listen != "" {
		if err := ui.listen(options.Listen, riverui.NormalizePathPrefix(options.Prefix)); err != nil {
			stop()
			return nil, err
		}
	}
	return ui, nil
}

func (ui *UI) listen(address, prefix string) error {
	listener, err := net.Listen("tcp", address)
	if err != nil {
		return apierr.Invalid("port", "cannot listen on %s: %v", address, err)
	}
	handler := ui.handler
	if prefix != "" {
		mux := http.NewServeMux()
		mux.Handle(prefix+"/", handler)
		mux.Handle(prefix, http.RedirectHandler(prefix+"/", http.StatusMovedPermanently))
		handler = mux
	}
	ui.server = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	ui.listener = listener
	ui.URL = fmt.Sprintf("http://%s%s/", listener.Addr(), prefix)
	go func() {
		// ErrServerClosed after Close; any other error ends serving, and the
		// browser sees the connection refused.
		_ = ui.server.Serve(listener)
	}()
	return nil
}

// Serve answers one request of a mounted UI.
func (ui *UI) Serve(ctx context.Context, method, target string, headers [][2]string, body []byte) (status int, responseHeaders [][2]string, responseBody []byte, err error) {
	request, err := http.NewRequestWithContext(ctx, method, "http://pyriver.invalid"+target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, apierr.Invalid("request", "not an HTTP request River UI can serve: %v", err)
	}
	request.RequestURI = target
	for _, header := range headers {
		request.Header.Add(header[0], header[1])
	}
	if host := request.Header.Get("Host"); host != "" {
		request.Host = host
	}
	recorder := httptest.NewRecorder()
	ui.handler.ServeHTTP(recorder, request)
	result := recorder.Result()
	for name, values := range result.Header {
		for _, value := range values {
			responseHeaders = append(responseHeaders, [2]string{name, value})
		}
	}
	return result.StatusCode, responseHeaders, recorder.Body.Bytes(), nil
}

// Close stops the server, if any, and River UI's services.
func (ui *UI) Close() error {
	defer ui.stop()
	if ui.server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := ui.server.Shutdown(ctx)
	_ = ui.listener.Close() // already closed unless Serve had not started
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// withBasicAuth requires the username and password, compared in constant
// time; without them the handler is open (River UI has no read-only mode).
func withBasicAuth(handler http.Handler, username, password string) http.Handler {
	if username == "" {
		return handler
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(username)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pass), []byte(password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="River UI", charset="UTF-8"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		handler.ServeHTTP(w, r)
	})
}

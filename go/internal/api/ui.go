package api

import (
	"context"

	"github.com/pyriver/pyriver/go/internal/protocol"
	"github.com/pyriver/pyriver/go/internal/rpc"
	"github.com/pyriver/pyriver/go/internal/ui"
)

func init() {
	rpc.Register(protocol.UIOpen, rpc.Typed(uiOpen))
	rpc.Register(protocol.UIRequest, rpc.Typed(uiRequest))
	rpc.Register(protocol.UIClose, rpc.Typed(uiClose))
}

// openUI is River UI served for a client; it closes with the client.
type openUI struct {
	client uint64
	ui     *ui.UI
}

func uiOpen(_ context.Context, req *protocol.UIOpenRequest) (*protocol.UIOpened, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	client, err := clients.Get(req.Client)
	if err != nil {
		return nil, err
	}
	opened, err := ui.Open(client.UIEndpoints(), ui.Options{
		Prefix: req.Prefix, Listen: req.Listen(), Username: req.Username, Password: req.Password,
	})
	if err != nil {
		return nil, err
	}
	return &protocol.UIOpened{UI: uis.Add(&openUI{client: req.Client, ui: opened}), URL: opened.URL}, nil
}

func uiRequest(ctx context.Context, req *protocol.UIHTTPRequest) (*protocol.UIHTTPResponse, error) {
	open, err := uis.Get(req.UI)
	if err != nil {
		return nil, err
	}
	status, headers, body, err := open.ui.Serve(ctx, req.Method, req.Target, req.Headers, req.Body)
	if err != nil {
		return nil, err
	}
	return &protocol.UIHTTPResponse{Status: status, Headers: headers, Body: body}, nil
}

func uiClose(_ context.Context, req *protocol.UIHandleRequest) (bool, error) {
	if open, ok := uis.Remove(req.UI); ok {
		return true, open.ui.Close()
	}
	return true, nil
}

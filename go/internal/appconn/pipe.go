package appconn

import "syscall"

// pipe carries a session's "step ready" signals: one byte per step, read by
// the thread waiting in Session.Next (see Session for why a pipe).
type pipe struct{ read, write int }

func newPipe() (*pipe, error) {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		return nil, err
	}
	syscall.CloseOnExec(fds[0])
	syscall.CloseOnExec(fds[1])
	return &pipe{read: fds[0], write: fds[1]}, nil
}

func (p *pipe) signal() {
	_, _ = syscall.Write(p.write, []byte{1}) // a pipe holds far more than one session's steps
}

func (p *pipe) wait() {
	var ready [1]byte
	for {
		if _, err := syscall.Read(p.read, ready[:]); err != syscall.EINTR {
			return // nothing else can fail on a pipe this package owns
		}
	}
}

func (p *pipe) close() {
	_ = syscall.Close(p.read)
	_ = syscall.Close(p.write)
}

// sparePipes keeps the pipes of finished sessions, empty, for the next:
// making one costs several system calls.
var sparePipes = make(chan *pipe, 64) //nolint:gochecknoglobals // one pool of spare pipes for the process

func takePipe() (*pipe, error) {
	select {
	case spare := <-sparePipes:
		return spare, nil
	default:
		return newPipe()
	}
}

func givePipe(p *pipe) {
	select {
	case sparePipes <- p:
	default:
		p.close()
	}
}

package protocol

// InterruptsWatchRequest points Ctrl-C at the main thread's calls: FD is the
// read end of the pipe set as Python's signal wakeup fd.
type InterruptsWatchRequest struct {
	FD           int   `json:"fd"`
	MainThreadID int64 `json:"main_thread_id"`
}

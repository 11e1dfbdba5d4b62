package protocol

// The methods of the library, one constant per method. Python's
// _bridge/methods.py names the same strings; a test compares the two through
// library.describe.
const (
	LibraryPing     = "library.ping"
	LibraryInfo     = "library.info"
	LibraryDescribe = "library.describe"
	LibraryTraceOn  = "library.trace_start"
	LibraryTraceOff = "library.trace_stop"

	InterruptsWatch = "interrupts.watch"

	ClientOpen  = "client.open"
	ClientClose = "client.close"
	ClientStart = "client.start"
	ClientStop  = "client.stop"

	TxBegin    = "tx.begin"
	TxCommit   = "tx.commit"
	TxRollback = "tx.rollback"
	TxExecute  = "tx.execute"
	TxQuery    = "tx.query"

	JobInsertMany     = "job.insert_many"
	JobInsertManyFast = "job.insert_many_fast"
	JobGet            = "job.get"
	JobCancel         = "job.cancel"
	JobDelete         = "job.delete"
	JobRetry          = "job.retry"
	JobList           = "job.list"
	JobDeleteMany     = "job.delete_many"

	// A large insert_many in chunks, on a transaction (api/insert_queue.go).
	JobInsertManySend    = "job.insert_many_send"
	JobInsertManyReceive = "job.insert_many_receive"

	QueueGet    = "queue.get"
	QueueList   = "queue.list"
	QueuePause  = "queue.pause"
	QueueResume = "queue.resume"
	QueueUpdate = "queue.update"

	MigrationMigrate  = "migration.migrate"
	MigrationValidate = "migration.validate"
	MigrationVersions = "migration.versions"

	PeriodicAdd    = "periodic.add"
	PeriodicRemove = "periodic.remove"
	PeriodicClear  = "periodic.clear"

	EventsSubscribe = "events.subscribe"
	EventsNext      = "events.next"
	EventsClose     = "events.close"

	WorkerNext     = "worker.next"
	WorkerComplete = "worker.complete"
	WorkerSignal   = "worker.signal"

	AppCall            = "app.call"
	AppRun             = "app.run"
	AppRunAvailable    = "app.run_available"
	AppReply           = "app.reply"
	AppClose           = "app.close"
	AppSQLiteFileInUse = "app.sqlite_file_in_use"

	LogsNext = "logs.next"

	UIOpen    = "ui.open"
	UIRequest = "ui.request"
	UIClose   = "ui.close"
)

// AppMethods are the methods that can run on the application's connection:
// those River offers on a transaction (its ...Tx forms).
var AppMethods = map[string]bool{ //nolint:gochecknoglobals // a constant set
	JobInsertMany: true, JobInsertManyFast: true,
	JobGet: true, JobCancel: true, JobDelete: true, JobRetry: true, JobList: true, JobDeleteMany: true,
	QueueGet: true, QueueList: true, QueuePause: true, QueueResume: true, QueueUpdate: true,
	MigrationMigrate: true, MigrationValidate: true, MigrationVersions: true,
}

package nameauth

import "context"

// MaxConcurrentCalls is how many Verify calls a process runs in the library at once; the
// others wait their turn in Go, each until a call ends or its context is done.
//
// Design: a call blocked in C holds an OS thread for as long as the server takes (up to
// the client's timeout), and a Go program that needs more than debug.SetMaxThreads
// threads (10000 by default) dies with "fatal error: thread exhaustion", which no recover
// catches. A service that starts a Verify per request while WeChat Pay is slow would get
// there. So calls take a slot of a process-wide semaphore before the C call and give it
// back as soon as it returns (before the logger runs). A waiting call holds no thread
// and sends nothing; when its context is done first it still makes its C call, with the
// token already cancelled, which returns at once as cancelled (and is counted in Stats
// as any cancelled call). The client's timeout and the context's deadline (as the core
// receives it) start when the call leaves the queue; the context bounds the wait too.
const MaxConcurrentCalls = 1024

// callSlots is the semaphore; tests swap in a smaller one while no call runs.
var callSlots = make(chan struct{}, MaxConcurrentCalls)

// takeSlot waits for a slot or for ctx to be done. It returns the function that gives the
// slot back (a no-op when ctx ended the wait).
func takeSlot(ctx context.Context) (release func()) {
	slots := callSlots
	select {
	case slots <- struct{}{}:
		return func() { <-slots }
	default:
	}
	select {
	case slots <- struct{}{}:
		return func() { <-slots }
	case <-ctx.Done():
		return func() {}
	}
}

//go:build cgo && linux

package nameauth

import (
	"context"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/nameauth/nameauth/bindings/go/nameauthtest"
)

// useSlots swaps in a semaphore of n slots for the test (no call may be running).
func useSlots(t *testing.T, n int) chan struct{} {
	saved := callSlots
	callSlots = make(chan struct{}, n)
	t.Cleanup(func() { callSlots = saved })
	return callSlots
}

// More calls than the process may have threads: they take their turns instead of
// killing it. Run in a child process (a fresh count of threads, and a crash that cannot
// take the test binary with it) whose thread limit is 40 above what it started with; 64
// calls to an answer 200 ms late. Before the semaphore each call held a thread in C and
// the child died with "fatal error: thread exhaustion".
func TestMoreCallsThanThreadsTakeTurnsInsteadOfCrashing(t *testing.T) {
	if os.Getenv("NAMEAUTH_GO_THREADS_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMoreCallsThanThreadsTakeTurnsInsteadOfCrashing$", "-test.count=1")
		cmd.Env = append(os.Environ(), "NAMEAUTH_GO_THREADS_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the child died: %v\n%.2000s", err, out)
		}
		return
	}
	sb := nameauthtest.NewSandbox(t)
	sb.AddFixture(t, "oLate", `{"fault": "slow", "delay_ms": 200, "status": 1, "truename": "张三", "creid": "110101199003074477"}`)
	c, err := New(sb.AppID, sb.Src, sb.Key, WithEndpoint(sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	useSlots(t, 8)
	defer debug.SetMaxThreads(debug.SetMaxThreads(pprof.Lookup("threadcreate").Count() + 40))
	const calls = 64
	for i, err := range verifyAtOnce(c, calls, "oLate")() {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if got := sb.Hits("oLate"); got != calls {
		t.Fatalf("%d requests for %d calls", got, calls)
	}
}

// A call waiting for a slot whose context ends first is cancelled, sends nothing, and is
// counted as cancelled; it takes its turn normally once a slot is free.
func TestACallWaitingForASlotEndsWithItsContextUnsent(t *testing.T) {
	c := newTestClient(t)
	slots := useSlots(t, 1)
	slots <- struct{}{} // the one slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	verifyPastDeadlineSendsNothing(t, ctx, c, "waiting for a slot past the deadline")
	<-slots
	if v, err := c.Verify(context.Background(), zsOpenID, zsName, zsID); err != nil || v.Code != "A" {
		t.Fatalf("with the slot free: %v %v", v, err)
	}
	if s, _ := c.Stats(); s.Errors[KindCancelled] != 1 || s.Requests != 1 {
		t.Fatalf("stats: %+v", s)
	}
}

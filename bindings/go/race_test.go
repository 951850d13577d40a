//go:build cgo

package nameauth

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// 16 goroutines on one client (go test -race): verdicts, refusals, cancellations and
// Stats at once, each goroutine checking its own answers.
func TestSixteenGoroutinesShareOneClient(t *testing.T) {
	c := newTestClient(t)
	const goroutines, calls = 16, 50
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				switch (g + i) % 4 {
				case 0:
					v, err := c.Verify(context.Background(), zsOpenID, zsName, zsID)
					if err != nil || v.Code != "A" {
						errs <- errors.Join(err, errors.New("want A, got "+v.Code))
					}
				case 1:
					v, err := c.Verify(context.Background(), zsOpenID, "李四", zsID)
					if err != nil || v.Code != "B" {
						errs <- errors.Join(err, errors.New("want B, got "+v.Code))
					}
				case 2:
					if _, err := c.Verify(context.Background(), zsOpenID, zsName, "1"); !errors.Is(err, ErrInvalidInput) {
						errs <- errors.Join(err, errors.New("want invalid_input"))
					}
				default:
					if _, err := c.Verify(cancelled, zsOpenID, zsName, zsID); !errors.Is(err, ErrCancelled) {
						errs <- errors.Join(err, errors.New("want cancelled"))
					}
					if _, err := c.Stats(); err != nil {
						errs <- err
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s, _ := c.Stats()
	if s.Calls != goroutines*calls {
		t.Fatalf("calls counted: %d, want %d", s.Calls, goroutines*calls)
	}
}

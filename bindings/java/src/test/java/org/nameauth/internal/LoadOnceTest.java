package org.nameauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadOnceTest {
  @Test
  void aFailedLoadThrowsOnEveryCallUntilOneSucceedsThenNeverRunsAgain() {
    AtomicInteger runs = new AtomicInteger();
    IllegalStateException why = new IllegalStateException("no library");
    LoadOnce once =
        new LoadOnce(
            () -> {
              if (runs.incrementAndGet() <= 2) {
                throw why;
              }
            });
    assertSame(why, assertThrows(IllegalStateException.class, once::ensure));
    assertSame(why, assertThrows(IllegalStateException.class, once::ensure));
    once.ensure();
    once.ensure();
    assertEquals(3, runs.get());
  }

  @Test
  void eightThreadsAtOnceLoadOnce() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    LoadOnce once =
        new LoadOnce(
            () -> {
              runs.incrementAndGet();
              try {
                // Holds the load open so the other threads arrive while it runs.
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                once.ensure();
              });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(1, runs.get());
  }
}

package org.nameauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadOnceTest {
  /** Fails its first {@code failures} loads with an UnsatisfiedLinkError; counts every load. */
  static final class Counted extends LoadOnce {
    final AtomicInteger runs = new AtomicInteger();
    final int failures;
    final long holdMs;

    Counted(int failures, long holdMs) {
      super("example", "nameauth.example.library", "NAMEAUTH_EXAMPLE_LIBRARY", LoadOnceTest.class);
      this.failures = failures;
      this.holdMs = holdMs;
    }

    @Override
    protected void load() {
      if (runs.incrementAndGet() <= failures) {
        throw new UnsatisfiedLinkError("no libexample.so");
      }
      try {
        // Holds the load open so that other threads arrive while it runs.
        Thread.sleep(holdMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    protected RuntimeException unloadable(Throwable why) {
      return new IllegalStateException("cannot load: " + why.getMessage());
    }
  }

  @Test
  void aFailedLoadThrowsOnEveryCallUntilOneSucceedsThenNeverRunsAgain() {
    Counted once = new Counted(2, 0);
    for (int i = 0; i < 2; i++) {
      IllegalStateException e = assertThrows(IllegalStateException.class, once::ensure);
      assertEquals("cannot load: no libexample.so", e.getMessage());
      assertSame(UnsatisfiedLinkError.class, e.getCause().getClass());
    }
    once.ensure();
    once.ensure();
    assertEquals(3, once.runs.get());
  }

  @Test
  void theDefaultLoadLooksWhereItsArgumentsSay() {
    String property = "nameauth.loadoncetest.library";
    String file = new File("no-such-dir", "libnameauth_loadoncetest.so").getAbsolutePath();
    LoadOnce missing =
        new LoadOnce(
            "nameauth_loadoncetest",
            property,
            "NAMEAUTH_LOADONCETEST_LIBRARY",
            LoadOnceTest.class) {
          @Override
          protected RuntimeException unloadable(Throwable why) {
            return new IllegalStateException("cannot load: " + why.getMessage());
          }
        };
    System.setProperty(property, file);
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, missing::ensure);
      // The file the property names is the one it tried.
      assertTrue(e.getMessage().contains(file), e.getMessage());
      assertSame(UnsatisfiedLinkError.class, e.getCause().getClass());
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void eightThreadsAtOnceLoadOnce() throws InterruptedException {
    Counted once = new Counted(0, 50);
    CountDownLatch go = new CountDownLatch(1);
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
    assertEquals(1, once.runs.get());
  }
}

package org.nameauth;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A native client handle that is freed exactly once: by {@link #free()} (close), or, for a client
 * nobody closed, by a daemon thread once the garbage collector finds the client unreachable (a
 * {@code Cleaner} made of a {@link PhantomReference}, since the code targets Java 8).
 */
final class NativeHandle {
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  private static final Set<Ref> LIVE = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private static final AtomicLong CLEANED = new AtomicLong();

  static {
    // A named class, not a lambda: the first lambda of a JVM boots invokedynamic's machinery,
    // milliseconds on a client's first call.
    Thread t = new Thread(new Drain(), "nameauth-cleaner");
    t.setDaemon(true);
    t.start();
  }

  private static final class Drain implements Runnable {
    @Override
    public void run() {
      drain();
    }
  }

  /** Enqueued when its owner is unreachable; holds the handle, never the owner. */
  private static final class Ref extends PhantomReference<Object> {
    final NativeHandle handle;

    Ref(Object owner, NativeHandle handle) {
      super(owner, QUEUE);
      this.handle = handle;
    }
  }

  private long pointer; // guarded by this; 0 once freed
  private final Ref ref;

  NativeHandle(Object owner, long pointer) {
    this.pointer = pointer;
    this.ref = new Ref(owner, this);
    LIVE.add(ref);
  }

  /** The handle, or 0 once freed. */
  synchronized long get() {
    return pointer;
  }

  /** Frees the handle unless that was done; true if this call freed it. */
  boolean free() {
    long p;
    synchronized (this) {
      p = pointer;
      pointer = 0;
    }
    if (p == 0) {
      return false;
    }
    LIVE.remove(ref);
    ref.clear();
    Jni.clientFree(p);
    return true;
  }

  /** How many handles the garbage collector's path has freed (for tests). */
  static long cleanedByCollector() {
    return CLEANED.get();
  }

  private static void drain() {
    while (true) {
      try {
        Ref r = (Ref) QUEUE.remove();
        LIVE.remove(r);
        if (r.handle.free()) {
          CLEANED.incrementAndGet();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A failure to free one handle must not stop the others from being freed.
      }
    }
  }
}

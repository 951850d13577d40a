package org.nameauth;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A native client handle that is freed exactly once: by {@link #free()} (close), or, for a client
 * nobody closed, once the garbage collector has found the client unreachable.
 *
 * <p>Design: nothing here may keep this class loader reachable, or a web application redeployed in
 * a servlet container would leave its loader, its classes and its copy of the native library behind
 * each time. So there is no thread (a running thread is a root, and its code's class pins the
 * loader; a thread that lives while handles do would pin it forever through a client a web
 * application keeps in a static field) and nothing is registered with the JDK (no shutdown hook, no
 * Cleaner, which is Java 9+ and whose thread would hold the cleaning action). Instead:
 *
 * <ul>
 *   <li>a client the collector found unreachable is enqueued (a {@link PhantomReference}, which
 *       holds the handle, never the client) and freed by the next client built or closed in this
 *       class loader ({@link #expunge()}), so dropped clients never pile up while the binding is in
 *       use;
 *   <li>whatever is still allocated when the loader itself is collected (clients dropped after the
 *       last build or close, or kept in a static field of the dropped application) is freed by the
 *       native library's {@code JNI_OnUnload}, which the JVM calls when it unloads the loader's
 *       copy of the library (crates/jni keeps the list of live handles for that).
 * </ul>
 */
final class NativeHandle {
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  private static final Set<Ref> LIVE = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private static final AtomicLong CLEANED = new AtomicLong();

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
    expunge();
  }

  /** The handle, or 0 once freed. */
  synchronized long get() {
    return pointer;
  }

  /** Frees the handle unless that was done; true if this call freed it. */
  boolean free() {
    boolean freed = release();
    expunge();
    return freed;
  }

  private boolean release() {
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

  /** Frees the handles of the clients the collector has found unreachable (cheap when none). */
  static void expunge() {
    for (Ref r; (r = (Ref) QUEUE.poll()) != null; ) {
      try {
        LIVE.remove(r);
        if (r.handle.release()) {
          CLEANED.incrementAndGet();
        }
      } catch (RuntimeException e) {
        // A failure to free one handle must not stop the others from being freed.
      }
    }
  }
}

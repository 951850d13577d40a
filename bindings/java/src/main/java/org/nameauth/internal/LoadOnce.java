package org.nameauth.internal;

/**
 * Loads a native library once, on first use. Internal to nameauth (public only so that {@code
 * org.nameauth.testing} can use it); not part of the API.
 *
 * <p>Until a load succeeds, every {@link #ensure()} tries again and throws {@link
 * #unloadable(Throwable)}'s exception (not an {@code ExceptionInInitializerError} once and a {@code
 * NoClassDefFoundError} after, as a static initialiser would), so a service can report it and go
 * on. Once one has succeeded, {@link #ensure()} is a volatile read. A subclass, not a lambda: a
 * fresh JVM would spend milliseconds setting up lambdas before its first call.
 */
public abstract class LoadOnce {
  private volatile boolean loaded;

  /** Loads the library (with {@link NativeLibraries#load}), and checks it if need be. */
  protected abstract void load();

  /**
   * The exception to throw when {@link #load()} failed with {@code why} (an {@code
   * UnsatisfiedLinkError} or a {@code SecurityException}); its cause is set to {@code why}.
   *
   * @param why what the load threw
   * @return a new exception, with no cause yet, whose message says what to set
   */
  protected abstract RuntimeException unloadable(Throwable why);

  /** Loads the library unless a call already has; throws {@link #unloadable} if it cannot. */
  public final void ensure() {
    if (loaded) {
      return;
    }
    synchronized (this) {
      if (loaded) {
        return;
      }
      try {
        load();
      } catch (UnsatisfiedLinkError | SecurityException e) {
        RuntimeException clear = unloadable(e);
        clear.initCause(e);
        throw clear;
      }
      loaded = true;
    }
  }
}

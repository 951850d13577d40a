package org.nameauth.internal;

/**
 * Runs a native library's loading once, on first use. Internal to nameauth (public only so that
 * {@code org.nameauth.testing} can use it); not part of the API.
 *
 * <p>Until a load succeeds, every {@link #ensure()} tries again and throws what the load threw (not
 * an {@code ExceptionInInitializerError} once and a {@code NoClassDefFoundError} after, as a static
 * initialiser would), so a service can report it and go on. Once one has succeeded, {@link
 * #ensure()} is a volatile read.
 */
public final class LoadOnce {
  private final Runnable load;
  private volatile boolean loaded;

  /**
   * @param load loads the library, or throws why it cannot
   */
  public LoadOnce(Runnable load) {
    this.load = load;
  }

  /** Loads the library unless a call already has; throws what the load throws. */
  public void ensure() {
    if (loaded) {
      return;
    }
    synchronized (this) {
      if (loaded) {
        return;
      }
      load.run();
      loaded = true;
    }
  }
}

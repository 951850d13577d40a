package org.nameauth.internal;

/**
 * One native library, loaded once, on first use, by {@link NativeLibraries#load} from the
 * constructor's arguments. Internal to nameauth (public only so that {@code org.nameauth.testing}
 * can use it); not part of the API.
 *
 * <p>Until a load succeeds, every {@link #ensure()} tries again and throws {@link
 * #unloadable(Throwable)}'s exception (not an {@code ExceptionInInitializerError} once and a {@code
 * NoClassDefFoundError} after, as a static initialiser would), so a service can report it and go
 * on. Once one has succeeded, {@link #ensure()} is a volatile read.
 *
 * <p>Each library is one anonymous subclass that says which exception a failure is (and, if need
 * be, overrides {@link #load()} to add a step before or after). A subclass, not a lambda passed in:
 * a fresh JVM would spend milliseconds setting up lambdas before its first call.
 */
public abstract class LoadOnce {
  private final String name;
  private final String fileProperty;
  private final String fileVariable;
  private final Class<?> anchor;
  private volatile boolean loaded;

  /**
   * The library {@code lib<name>.so}, as {@link NativeLibraries#load} looks for it.
   *
   * @param name the library's name without {@code lib} and {@code .so}, e.g. {@code nameauth_jni}
   * @param fileProperty the system property naming the file itself
   * @param fileVariable the environment variable naming the file itself
   * @param anchor a class of the jar that carries the library
   */
  protected LoadOnce(String name, String fileProperty, String fileVariable, Class<?> anchor) {
    this.name = name;
    this.fileProperty = fileProperty;
    this.fileVariable = fileVariable;
    this.anchor = anchor;
  }

  /**
   * Loads the library with {@link NativeLibraries#load}. An override that adds a step calls {@code
   * super.load()}.
   */
  protected void load() {
    NativeLibraries.load(name, fileProperty, fileVariable, anchor);
  }

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

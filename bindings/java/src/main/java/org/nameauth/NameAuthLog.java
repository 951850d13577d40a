package org.nameauth;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Call events (masked: no key, no name or ID number in clear, no URL) to the logger {@code
 * nameauth}: through SLF4J when an SLF4J provider is on the class path (an optional dependency),
 * through {@code java.util.logging} otherwise. Each call (its verdict or error) is DEBUG (JUL:
 * FINE), so a default configuration prints nothing per call; a retry or a failover, which the
 * caller cannot see otherwise, is WARN (JUL: WARNING). Nothing is captured or formatted natively
 * unless the logger takes one of those levels.
 */
final class NameAuthLog {
  static final String NAME = "nameauth";

  /** The SLF4J route, in its own class so that nothing loads SLF4J unless it is present. */
  private static final class Slf4j {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NAME);

    static boolean usable() {
      return !(org.slf4j.LoggerFactory.getILoggerFactory()
          instanceof org.slf4j.helpers.NOPLoggerFactory);
    }

    static int level() {
      return LOG.isDebugEnabled() ? INFO : LOG.isWarnEnabled() ? WARN : 0;
    }

    static void log(int level, String message) {
      if (level <= WARN) {
        LOG.warn("{}", message);
      } else {
        LOG.debug("{}", message);
      }
    }
  }

  private static final int WARN = 2;
  private static final int INFO = 3;
  private static final Logger JUL = Logger.getLogger(NAME);
  private static final boolean SLF4J = slf4jPresent();

  /**
   * Set on a thread while {@link #emit} runs on it: a logger that calls a client from there (to
   * look a user up again, say) gets its calls unlogged, or each would log one more call, and the
   * recursion through native frames would end in a crash of the JVM rather than in a
   * StackOverflowError. Removed when emit returns, so nothing stays on the thread (a container's
   * request thread outlives the application).
   */
  private static final ThreadLocal<Boolean> EMITTING = new ThreadLocal<>();

  private NameAuthLog() {}

  private static boolean slf4jPresent() {
    try {
      Class.forName("org.slf4j.LoggerFactory", false, NameAuthLog.class.getClassLoader());
      return Slf4j.usable();
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The native capture level the logger wants now: 3 (every call), 2 (WARN) or 0 (none). */
  static int level() {
    if (EMITTING.get() != null) {
      return 0;
    }
    if (SLF4J) {
      return Slf4j.level();
    }
    return JUL.isLoggable(Level.FINE) ? INFO : JUL.isLoggable(Level.WARNING) ? WARN : 0;
  }

  /** Logs captured lines, each {@code "<level digit> <message>"}. */
  static void emit(String captured) {
    if (captured.isEmpty()) {
      return;
    }
    EMITTING.set(Boolean.TRUE);
    try {
      log(captured);
    } finally {
      EMITTING.remove();
    }
  }

  private static void log(String captured) {
    for (String line : captured.split("\n")) {
      if (line.length() < 3) {
        continue;
      }
      int level = line.charAt(0) - '0';
      String message = line.substring(2);
      if (SLF4J) {
        Slf4j.log(level, message);
      } else {
        JUL.log(level <= WARN ? Level.WARNING : Level.FINE, message);
      }
    }
  }
}

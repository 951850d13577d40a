package org.nameauth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link NameAuthClient} did since it was built, from {@link NameAuthClient#stats()}: the
 * same counters as every nameauth front end ({@code calls}, {@code requests}, {@code retries},
 * {@code connections_opened}, {@code failovers}, verdicts per code, errors per kind, latency
 * percentiles). Immutable.
 */
public final class NameAuthStats {
  private static final String[] CODES = {"A", "B", "C", "D", "E", "F", "Other"};
  private static final String[] KINDS = {
    "invalid_input", "invalid_config", "timeout", "transport", "protocol", "internal", "cancelled"
  };

  private final long calls;
  private final long requests;
  private final long retries;
  private final long connectionsOpened;
  private final long failovers;
  private final Map<String, Long> verdicts;
  private final Map<String, Long> errors;
  private final long p50;
  private final long p90;
  private final long p99;

  /** From {@code Jni.stats}: the five counts, the verdicts, the errors, then p50, p90, p99. */
  NameAuthStats(long[] s) {
    calls = s[0];
    requests = s[1];
    retries = s[2];
    connectionsOpened = s[3];
    failovers = s[4];
    verdicts = table(CODES, s, 5);
    errors = table(KINDS, s, 5 + CODES.length);
    int at = 5 + CODES.length + KINDS.length;
    p50 = s[at];
    p90 = s[at + 1];
    p99 = s[at + 2];
  }

  private static Map<String, Long> table(String[] names, long[] counts, int from) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], counts[from + i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Calls to {@code verify}, refused inputs included.
   *
   * @return the count
   */
  public long calls() {
    return calls;
  }

  /**
   * HTTP requests attempted: first attempts, retries and failovers (a refused connection counts
   * too).
   *
   * @return the count
   */
  public long requests() {
    return requests;
  }

  /**
   * Attempts after the first of a call (failovers not included).
   *
   * @return the count
   */
  public long retries() {
    return retries;
  }

  /**
   * TCP connections opened; the other requests reused the keep-alive pool.
   *
   * @return the count
   */
  public long connectionsOpened() {
    return connectionsOpened;
  }

  /**
   * Requests sent to the fallback endpoint because the endpoint could not be reached.
   *
   * @return the count
   */
  public long failovers() {
    return failovers;
  }

  /**
   * Verdicts by code, {@code "A"} to {@code "F"} and {@code "Other"}, in that order.
   *
   * @return an unmodifiable map
   */
  public Map<String, Long> verdicts() {
    return verdicts;
  }

  /**
   * Errors by kind ({@code "invalid_input"}, {@code "invalid_config"}, {@code "timeout"}, {@code
   * "transport"}, {@code "protocol"}, {@code "internal"}).
   *
   * @return an unmodifiable map
   */
  public Map<String, Long> errors() {
    return errors;
  }

  /**
   * Median latency of the calls that sent a request, in microseconds (within 12.5 %; 0 before the
   * first).
   *
   * @return microseconds
   */
  public long latencyP50Micros() {
    return p50;
  }

  /**
   * 90th percentile latency, in microseconds.
   *
   * @return microseconds
   */
  public long latencyP90Micros() {
    return p90;
  }

  /**
   * 99th percentile latency, in microseconds.
   *
   * @return microseconds
   */
  public long latencyP99Micros() {
    return p99;
  }

  @Override
  public String toString() {
    return "NameAuthStats{calls="
        + calls
        + ", requests="
        + requests
        + ", retries="
        + retries
        + ", connectionsOpened="
        + connectionsOpened
        + ", failovers="
        + failovers
        + ", verdicts="
        + verdicts
        + ", errors="
        + errors
        + ", p50="
        + p50
        + "us, p90="
        + p90
        + "us, p99="
        + p99
        + "us}";
  }
}

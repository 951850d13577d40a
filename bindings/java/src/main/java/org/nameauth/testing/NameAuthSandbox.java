package org.nameauth.testing;

import org.nameauth.NameAuthClient;

/**
 * A running nameauth sandbox: a faithful stand-in for the WeChat Pay nameautheasy server on a free
 * loopback port, for your own tests. Its built-in records cover every verdict row and every fault
 * (see {@link #addFixture} to add your own). Closing stops it.
 *
 * <pre>{@code
 * try (NameAuthSandbox sb = NameAuthSandbox.start();
 *     NameAuthClient client = sb.client()) {
 *   assertTrue(client.verify("oZhangSan", "张三", "110101199003074477").passed());
 *   assertEquals(1, sb.hits("oZhangSan"));
 * }
 * }</pre>
 */
public final class NameAuthSandbox implements AutoCloseable {
  private long handle; // guarded by this; 0 once closed
  private final String endpoint;
  private final String caFile;

  private NameAuthSandbox(long handle) {
    this.handle = handle;
    this.endpoint = SandboxNative.endpoint(handle);
    this.caFile = SandboxNative.caFile(handle);
  }

  /**
   * Starts a plain-HTTP sandbox with the built-in records.
   *
   * @return the running sandbox
   */
  public static NameAuthSandbox start() {
    return builder().start();
  }

  /**
   * A builder for HTTPS, other records or added latency.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of a sandbox to start. */
  public static final class Builder {
    private boolean tls;
    private String fixturesJson;
    private long latencyMs;

    private Builder() {}

    /**
     * Serves HTTPS with a CA made at start ({@link #caFile()} is the file to trust).
     *
     * @param on whether to serve HTTPS
     * @return this builder
     */
    public Builder tls(boolean on) {
      this.tls = on;
      return this;
    }

    /**
     * Replaces the built-in records with a fixtures file's JSON (openid to record).
     *
     * @param json the records
     * @return this builder
     */
    public Builder fixturesJson(String json) {
      this.fixturesJson = json;
      return this;
    }

    /**
     * Adds this much latency to every answer.
     *
     * @param ms milliseconds
     * @return this builder
     */
    public Builder latencyMs(long ms) {
      this.latencyMs = ms;
      return this;
    }

    /**
     * Starts it.
     *
     * @return the running sandbox
     * @throws IllegalStateException if it cannot start (the message says why)
     */
    public NameAuthSandbox start() {
      SandboxNative.ensure();
      return new NameAuthSandbox(SandboxNative.start(tls, fixturesJson, latencyMs));
    }
  }

  /** The handle; callers hold this object's lock, so close() cannot free it under them. */
  private synchronized long live() {
    if (handle == 0) {
      throw new IllegalStateException("sandbox: is closed");
    }
    return handle;
  }

  /**
   * The endpoint URL to give a client.
   *
   * @return the URL
   */
  public String endpoint() {
    return endpoint;
  }

  /**
   * The CA certificate file to trust ({@code caFile}) when serving HTTPS.
   *
   * @return the path, or null for plain HTTP
   */
  public String caFile() {
    return caFile;
  }

  /**
   * The app id the sandbox accepts.
   *
   * @return the app id
   */
  public String appid() {
    return SandboxNative.credential(0);
  }

  /**
   * The {@code src} the sandbox accepts.
   *
   * @return the src
   */
  public String src() {
    return SandboxNative.credential(1);
  }

  /**
   * The key the sandbox signs with: a published test value that protects nothing.
   *
   * @return the key
   */
  public String key() {
    return SandboxNative.credential(2);
  }

  /**
   * A client builder for this sandbox (its endpoint and, with HTTPS, its CA set), to add options
   * to.
   *
   * @return the builder
   */
  public NameAuthClient.Builder clientBuilder() {
    NameAuthClient.Builder b = NameAuthClient.builder(appid(), src(), key()).endpoint(endpoint);
    return caFile == null ? b : b.caFile(caFile);
  }

  /**
   * A ready client for this sandbox; close it when done.
   *
   * @return the client
   */
  public NameAuthClient client() {
    return clientBuilder().build();
  }

  /**
   * HTTP requests the sandbox received.
   *
   * @return the count
   */
  public synchronized long requests() {
    return SandboxNative.count(live(), 0);
  }

  /**
   * TCP connections the sandbox accepted.
   *
   * @return the count
   */
  public synchronized long connections() {
    return SandboxNative.count(live(), 1);
  }

  /**
   * Requests that carried {@code openid}: how often a user was really checked.
   *
   * @param openid the openid
   * @return the count
   */
  public synchronized long hits(String openid) {
    return SandboxNative.hits(live(), openid);
  }

  /**
   * Adds or replaces the record of {@code openid}, as the JSON of a fixtures file entry: {@code
   * {"status":1,"truename":"张三","creid":"110101199003074477"}}, {@code {"error_code":1002}}, or a
   * fault: {@code {"fault":"http_503","fail_times":1,"status":2}}, {@code
   * {"fault":"slow","delay_ms":2000,"status":3}}, {@code {"fault":"reset"}}, ... Its hit count
   * starts again.
   *
   * @param openid the openid
   * @param recordJson the record
   * @throws IllegalArgumentException if the record is not valid (the message says why)
   */
  public synchronized void addFixture(String openid, String recordJson) {
    SandboxNative.addFixture(live(), openid, recordJson);
  }

  /** Stops the sandbox. Closing twice is harmless. */
  @Override
  public synchronized void close() {
    if (handle != 0) {
      SandboxNative.free(handle);
      handle = 0;
    }
  }

  @Override
  public String toString() {
    return "NameAuthSandbox{" + endpoint + "}";
  }
}

package org.nameauth;

/**
 * A failure to get a verdict. Subclasses name the CONFORMANCE.md kind: {@link
 * InvalidInputException}, {@link ConfigException}, {@link NameAuthTimeoutException}, {@link
 * TransportException}, {@link NameAuthProtocolException} and {@link InternalException}.
 *
 * <p>Messages are one line of English naming the field and rule, the HTTP status or the limit; they
 * never contain the key, nor a name or ID number in clear. Unchecked, like the exceptions of most
 * modern Java clients.
 */
public class NameAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final int status;
  private final String field;
  private final String rule;

  NameAuthException(String kind, int status, String message, String field, String rule) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.field = field == null ? "" : field;
    this.rule = rule == null ? "" : rule;
  }

  /**
   * The docs/CONFORMANCE.md kind: {@code invalid_input}, {@code invalid_config}, {@code timeout},
   * {@code transport}, {@code protocol}, {@code internal} or {@code cancelled}.
   */
  public String kind() {
    return kind;
  }

  /**
   * The C library's status ({@code nameauth_result}), or 0 when Java refused the value before
   * calling it (a NUL character or an unpaired surrogate, which C cannot receive intact).
   */
  public int status() {
    return status;
  }

  /**
   * For input and configuration errors, the field at fault ({@code "creid"}, {@code "timeout_ms"},
   * ...); {@code ""} otherwise.
   */
  public String field() {
    return field;
  }

  /**
   * For input and configuration errors, the rule broken, a stable identifier ({@code
   * "id_check_character"}, {@code "unknown_option"}, ...); {@code ""} otherwise.
   */
  public String rule() {
    return rule;
  }

  /** The exception of the C library's kind for {@code status}, as it names the kind. */
  static NameAuthException of(String kind, int status, String message, String field, String rule) {
    switch (kind) {
      case "invalid_input":
        return new InvalidInputException(status, message, field, rule);
      case "invalid_config":
        return new ConfigException(status, message, field, rule);
      case "timeout":
        return new NameAuthTimeoutException(status, message);
      case "transport":
        return new TransportException(status, message);
      case "protocol":
        return new NameAuthProtocolException(status, message);
      case "cancelled":
        return new CancelledException(status, message);
      default:
        return new InternalException(status, message);
    }
  }
}

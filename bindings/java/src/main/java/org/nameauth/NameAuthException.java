package org.nameauth;

/**
 * A failure to get a verdict. Subclasses name the CONFORMANCE.md kind: {@link
 * InvalidInputException}, {@link InvalidConfigException}, {@link TimeoutException}, {@link
 * TransportException}, {@link ProtocolException}, {@link InternalException} and {@link
 * CancelledException}.
 *
 * <p>Messages are one line of English naming the field and rule, the HTTP status or the limit; they
 * never contain the key, nor a name or ID number in clear. Unchecked, like the exceptions of most
 * modern Java clients.
 */
public class NameAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final int resultCode;
  private final String field;
  private final String rule;
  private final int httpStatus;

  NameAuthException(
      String kind, int resultCode, String message, String field, String rule, int httpStatus) {
    super(message);
    this.kind = kind;
    this.resultCode = resultCode;
    this.httpStatus = httpStatus;
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
   * The C library's result number ({@code nameauth_result}: 1 {@code NAMEAUTH_INVALID_INPUT}, ...
   * 11 {@code NAMEAUTH_CANCELLED}), or 0 when Java refused the value before calling it (a NUL
   * character or an unpaired surrogate, which C cannot receive intact).
   */
  public int resultCode() {
    return resultCode;
  }

  /**
   * The HTTP status of a non-2xx answer (a {@link TransportException}, e.g. 503); 0 for every other
   * failure.
   */
  public int httpStatus() {
    return httpStatus;
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

  /** The exception of {@code kind}, as the native library names it. */
  static NameAuthException of(
      String kind, int resultCode, String message, String field, String rule, int httpStatus) {
    switch (kind) {
      case "invalid_input":
        return new InvalidInputException(resultCode, message, field, rule);
      case "invalid_config":
        return new InvalidConfigException(resultCode, message, field, rule);
      case "timeout":
        return new TimeoutException(resultCode, message);
      case "transport":
        return new TransportException(resultCode, message, httpStatus);
      case "protocol":
        return new ProtocolException(resultCode, message);
      case "cancelled":
        return new CancelledException(resultCode, message);
      default:
        return new InternalException(resultCode, message);
    }
  }
}

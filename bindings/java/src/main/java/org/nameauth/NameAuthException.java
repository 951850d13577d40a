package org.nameauth;

/**
 * A failure to get a verdict. Subclasses name the CONFORMANCE.md kind: {@link
 * InvalidInputException}, {@link ConfigException}, {@link NameAuthTimeoutException}, {@link
 * TransportException}, {@link ProtocolException} and {@link InternalException}.
 *
 * <p>Messages are one line of English naming the field and rule, the HTTP status or the limit; they
 * never contain the key, nor a name or ID number in clear. Unchecked, like the exceptions of most
 * modern Java clients.
 */
public class NameAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final int status;

  NameAuthException(String kind, int status, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  /**
   * The CONFORMANCE.md kind: {@code invalid_input}, {@code invalid_config}, {@code timeout}, {@code
   * transport}, {@code protocol} or {@code internal}.
   */
  public String kind() {
    return kind;
  }

  /** The C library's {@code nameauth_result} number (0 when raised by the Java layer alone). */
  public int status() {
    return status;
  }

  /** The exception for a failed C call, with this thread's last error as its message. */
  static NameAuthException fromStatus(int status, String message) {
    switch (status) {
      case 1: // NAMEAUTH_INVALID_INPUT
      case 7: // NAMEAUTH_NULL_ARGUMENT
      case 8: // NAMEAUTH_INVALID_UTF8
      case 9: // NAMEAUTH_BUFFER_TOO_SMALL
        return new InvalidInputException(status, message);
      case 2:
        return new ConfigException(status, message);
      case 3:
        return new NameAuthTimeoutException(status, message);
      case 4:
        return new TransportException(status, message);
      case 5:
        return new ProtocolException(status, message);
      default:
        return new InternalException(status, message);
    }
  }
}

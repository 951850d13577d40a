package org.nameauth;

/**
 * The connection failed: refused, reset, TLS failure, non-2xx HTTP status ({@link #httpStatus()}).
 */
public class TransportException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  TransportException(int resultCode, String message, int httpStatus) {
    super("transport", resultCode, message, "", "", httpStatus);
  }
}

package org.nameauth;

/** The connection failed: refused, reset, TLS failure, non-2xx HTTP status. */
public class TransportException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  TransportException(int status, String message) {
    super("transport", status, message, "", "");
  }
}

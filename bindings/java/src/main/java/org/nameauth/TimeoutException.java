package org.nameauth;

/** No complete answer arrived within the timeout. */
public class TimeoutException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  TimeoutException(int resultCode, String message) {
    super("timeout", resultCode, message, "", "", 0);
  }
}

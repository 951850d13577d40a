package org.nameauth;

/** No complete answer arrived within the timeout. */
public class NameAuthTimeoutException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  NameAuthTimeoutException(int status, String message) {
    super("timeout", status, message, "", "");
  }
}

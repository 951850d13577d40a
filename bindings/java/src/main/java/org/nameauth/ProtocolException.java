package org.nameauth;

/** The server answered, but not with a well-formed nameauth response. */
public class ProtocolException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  ProtocolException(int status, String message) {
    super("protocol", status, message);
  }
}

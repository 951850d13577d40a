package org.nameauth;

/**
 * The server answered, but not with a well-formed nameauth response. (Not {@code
 * java.net.ProtocolException}: import this one by name where both are in scope.)
 */
public class ProtocolException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  ProtocolException(int resultCode, String message) {
    super("protocol", resultCode, message, "", "", 0);
  }
}

package org.nameauth;

/**
 * The server answered, but not with a well-formed nameauth response. (Named so as not to be
 * mistaken for {@code java.net.ProtocolException}.)
 */
public class NameAuthProtocolException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  NameAuthProtocolException(int status, String message) {
    super("protocol", status, message, "", "");
  }
}

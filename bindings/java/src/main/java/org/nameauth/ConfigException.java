package org.nameauth;

/**
 * The client configuration is unusable (credentials, endpoint, options), or the client is closed.
 */
public class ConfigException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  ConfigException(int status, String message) {
    super("invalid_config", status, message);
  }
}

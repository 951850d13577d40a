package org.nameauth.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test (or lifecycle method) asking for a {@link
 * NameAuthSandbox} parameter a fresh running sandbox, stopped when the test ends.
 *
 * <pre>{@code
 * @ExtendWith(NameAuthSandboxExtension.class)
 * class SignupTest {
 *   @Test
 *   void verifiesTheUser(NameAuthSandbox sb) {
 *     try (NameAuthClient client = sb.client()) {
 *       assertEquals("A", client.verify("oZhangSan", "张三", "110101199003074477").code());
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Needs {@code junit-jupiter-api} on the test class path (the jar declares it optional).
 */
public final class NameAuthSandboxExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NameAuthSandboxExtension.class);

  /** Public for JUnit. */
  public NameAuthSandboxExtension() {}

  /**
   * Stops its sandbox when JUnit closes the store it lives in. {@code CloseableResource} works with
   * every JUnit 5 release (5.13 deprecated it for {@code AutoCloseable}, which older ones do not
   * close).
   */
  @SuppressWarnings("deprecation")
  private static final class Running
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final NameAuthSandbox sandbox = NameAuthSandbox.start();

    @Override
    public void close() {
      sandbox.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == NameAuthSandbox.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NS)
        .getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class)
        .sandbox;
  }
}

package org.nameauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nameauth.InvalidInputException;
import org.nameauth.NameAuthClient;
import org.nameauth.SignCase;
import org.nameauth.TimeoutException;
import org.nameauth.TransportException;
import org.nameauth.Verdict;

/**
 * The Java snippets of bindings/java/README.md: each is written here (or in SignupTest) word for
 * word, and runs against a sandbox. {@link #everySnippetOfTheReadmeIsOneOfTheseTests()} fails when
 * the page and the tests drift apart.
 */
@ExtendWith(NameAuthSandboxExtension.class)
class ReadmeTest {
  /** The snippet's output, with System.out taken for the call. */
  private static String printed(Runnable snippet) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, "UTF-8"));
      snippet.run();
    } catch (IOException e) {
      throw new AssertionError(e);
    } finally {
      System.setOut(saved);
    }
    return new String(buf.toByteArray(), StandardCharsets.UTF_8);
  }

  /** Needs the harness's sandbox in NAMEAUTH_* (make test-java runs with it). */
  @Test
  void theExample() {
    String out =
        printed(
            () -> {
              try (NameAuthClient client = NameAuthClient.fromEnv()) {
                Verdict v = client.verify("oZhangSan", "张三", "110101199003074477");
                System.out.println(v.code() + " " + v.reason() + " " + v.messageEn());
                if (v.isConfigProblem()) {
                  System.err.println("fix the configuration: " + v.adviceEn());
                }
              } catch (TimeoutException | TransportException e) {
                // No answer. nameauth never sends again a request the server may have processed.
              }
            });
    assertTrue(out.startsWith("A "), out);
  }

  @Test
  void theOptionsAndTheErrors(NameAuthSandbox sb) {
    String appid = sb.appid();
    String src = sb.src();
    String key = sb.key();
    String endpoint = sb.endpoint();
    NameAuthClient client =
        NameAuthClient.builder(appid, src, key)
            .endpoint(endpoint) // default: WeChat Pay's; a sandbox's in tests
            .timeoutMs(5000)
            .retries(2)
            .signCase(SignCase.LOWER)
            .idRules(true)
            .build();
    try {
      String out =
          printed(
              () -> {
                try {
                  client.verify("oZhangSan", "张三", "110101199003074478");
                } catch (InvalidInputException e) {
                  System.out.println(e.field() + " " + e.rule()); // creid id_check_character
                }
              });
      assertEquals("creid id_check_character", out.trim());
      assertEquals(0, sb.requests());
    } finally {
      client.close();
    }
  }

  /** Lines without their indentation, blank ones dropped. */
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n", -1)) {
      if (!l.trim().isEmpty()) {
        out.add(l.trim());
      }
    }
    return out;
  }

  private static String read(String path) throws IOException {
    return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
  }

  @Test
  void everySnippetOfTheReadmeIsOneOfTheseTests() throws IOException {
    List<String> tests = lines(read("src/test/java/org/nameauth/testing/ReadmeTest.java"));
    tests.addAll(lines(read("src/test/java/org/nameauth/testing/SignupTest.java")));
    String joined = "\n" + String.join("\n", tests) + "\n";
    Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(read("README.md"));
    int snippets = 0;
    while (m.find()) {
      snippets++;
      String snippet = "\n" + String.join("\n", lines(m.group(1))) + "\n";
      assertTrue(joined.contains(snippet), "README.md snippet not in the tests:" + snippet);
    }
    assertEquals(4, snippets);
  }
}

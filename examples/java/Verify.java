import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import org.nameauth.NameAuthClient;
import org.nameauth.NameAuthException;
import org.nameauth.Verdict;

/**
 * Verify: checks one user with nameauth and prints one JSON line (CONFORMANCE.md).
 *
 * <pre>
 * NAMEAUTH_APPID=... NAMEAUTH_SRC=... NAMEAUTH_KEY=... \
 *   java -cp nameauth-0.1.0.jar:. Verify OPENID TRUENAME CREID [CRETYPE]
 * </pre>
 *
 * <p>Exit status 0 when the server answered (any verdict), 2 on any error.
 */
public final class Verify {
  private Verify() {}

  /** The characters JSON escapes with a letter, and (at the same index) their escapes. */
  private static final String SHORT_ESCAPED = "\"\\\n\r\t\b\f";

  private static final String[] SHORT_ESCAPES = {"\\\"", "\\\\", "\\n", "\\r", "\\t", "\\b", "\\f"};

  /** A JSON string: UTF-8 as is, quotes, backslashes and control characters escaped. */
  static String json(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int k = SHORT_ESCAPED.indexOf(c);
      if (k >= 0) {
        out.append(SHORT_ESCAPES[k]);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  public static void main(String[] args) throws UnsupportedEncodingException {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    if (args.length < 3 || args.length > 4) {
      out.println(
          "{\"error\":\"invalid_input\",\"message\":"
              + json("usage: Verify OPENID TRUENAME CREID [CRETYPE]")
              + "}");
      System.exit(2);
    }
    Verdict v;
    // NAMEAUTH_APPID, _SRC, _KEY and one variable per option (_ENDPOINT, _TIMEOUT_MS, ...)
    try (NameAuthClient client = NameAuthClient.fromEnv()) {
      v =
          client.verify(
              args[0],
              args[1],
              args[2],
              args.length == 4 ? args[3] : NameAuthClient.RESIDENT_ID_CARD);
    } catch (NameAuthException e) {
      out.println("{\"error\":" + json(e.kind()) + ",\"message\":" + json(e.getMessage()) + "}");
      System.exit(2);
      return;
    }
    out.println(
        "{\"code\":"
            + json(v.code())
            + ",\"reason\":"
            + json(v.reason())
            + ",\"error_code\":"
            + v.errorCode()
            + ",\"nameauth_status\":"
            + json(v.nameauthStatus())
            + ",\"notmatch_param\":"
            + json(v.notmatchParam())
            + ",\"name_mask\":"
            + json(v.nameMask())
            + "}");
    System.exit(0);
  }
}

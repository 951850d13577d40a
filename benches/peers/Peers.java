import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nameauth.NameAuthClient;

/**
 * bench-peers, Java: the nameauth jar (JNI) against the clients a shop writes by hand, with
 * MessageDigest's MD5: HttpURLConnection (keep-alive by default) and java.net.http.HttpClient.
 *
 * <pre>
 *   java Peers steady CALLS ROUNDS   CPU per verify of each, JIT-warm, in interleaved blocks
 *   java Peers first IMPL            one verify in this fresh JVM (nameauth, urlconnection,
 *                                    httpclient), class loading and library loading included
 * </pre>
 *
 * Run by tools/bench_peers.py, which starts the sandbox and reads the JSON lines printed here. CPU
 * is the process's: every thread's, JIT and GC included (see cpuNanos).
 */
public final class Peers {
  static final long START = System.nanoTime();
  static final String OPENID = "oZhangSan";
  static final String NAME = "\u5f20\u4e09";
  static final String CREID = "110101199003074477";
  static final String ENDPOINT = System.getenv("NAMEAUTH_ENDPOINT");
  static final String APPID = System.getenv("NAMEAUTH_APPID");
  static final String SRC = System.getenv("NAMEAUTH_SRC");
  static final String KEY = System.getenv("NAMEAUTH_KEY");

  private Peers() {}

  /** The hand-written request: sorted fields, MD5 of them and the key, the query string. */
  static String url() throws Exception {
    Map<String, String> f = new TreeMap<>();
    f.put("appid", APPID);
    f.put("creid", CREID);
    f.put("cretype", "1");
    f.put("openid", OPENID);
    f.put("src", SRC);
    f.put("truename", NAME);
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> e : f.entrySet()) {
      text.append(e.getKey()).append('=').append(e.getValue()).append('&');
    }
    text.append("key=").append(KEY);
    byte[] md =
        MessageDigest.getInstance("MD5").digest(text.toString().getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : md) {
      hex.append(String.format("%02x", b));
    }
    f.put("sign", hex.toString());
    f.put("type", "json");
    StringBuilder q = new StringBuilder(ENDPOINT).append('?');
    for (Map.Entry<String, String> e : f.entrySet()) {
      q.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), "UTF-8")).append('&');
    }
    return q.substring(0, q.length() - 1);
  }

  /** The string value of "name" in a flat JSON object, as a hand parser finds it. */
  static String field(String json, String name) {
    int i = json.indexOf("\"" + name + "\":");
    if (i < 0) {
      return "";
    }
    i += name.length() + 3;
    if (json.charAt(i) == '"') {
      i++;
    }
    int j = i;
    while (j < json.length() && "\",}".indexOf(json.charAt(j)) < 0) {
      j++;
    }
    return json.substring(i, j);
  }

  static String map(String body) {
    if (!field(body, "error_code").equals("0")) {
      return "Other";
    }
    String nm = field(body, "notmatch_param");
    switch (field(body, "nameauth_status")) {
      case "1":
        return nm.isEmpty() ? "A" : nm.equals("1") ? "B" : nm.equals("2") ? "C" : "D";
      case "2":
        return "E";
      case "3":
      case "4":
      case "5":
        return "F";
      default:
        return "Other";
    }
  }

  static String urlConnection() {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(url()).openConnection();
      c.setConnectTimeout(3000);
      c.setReadTimeout(10000);
      if (c.getResponseCode() != 200) {
        return "!";
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = c.getInputStream()) {
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
      }
      return map(new String(out.toByteArray(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return "!";
    }
  }

  static HttpClient httpClient;

  static String httpClient() {
    try {
      if (httpClient == null) {
        httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      }
      HttpRequest r =
          HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(10)).GET().build();
      HttpResponse<String> res = httpClient.send(r, HttpResponse.BodyHandlers.ofString());
      return res.statusCode() == 200 ? map(res.body()) : "!";
    } catch (IOException | InterruptedException e) {
      return "!";
    } catch (Exception e) {
      return "!";
    }
  }

  static NameAuthClient client;

  static String nameauth() {
    if (client == null) {
      client = NameAuthClient.builder(APPID, SRC, KEY).endpoint(ENDPOINT).build();
    }
    return client.verify(OPENID, NAME, CREID).code();
  }

  static Supplier<String> impl(String name) {
    switch (name) {
      case "nameauth":
        return Peers::nameauth;
      case "urlconnection":
        return Peers::urlConnection;
      case "httpclient":
        return Peers::httpClient;
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /**
   * The CPU time of every thread of this process, JIT and GC threads included, in nanoseconds: the
   * first field of each /proc/self/task/N/schedstat. (OperatingSystemMXBean's process CPU time has
   * a 10 ms tick here, too coarse for blocks of a few hundred verifies.)
   */
  static long cpuNanos() {
    long sum = 0;
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }
    for (File t : tasks) {
      try {
        String line = new String(Files.readAllBytes(new File(t, "schedstat").toPath()));
        sum += Long.parseLong(line.substring(0, line.indexOf(' ')));
      } catch (IOException | RuntimeException e) {
        // The thread ended between the listing and the read.
      }
    }
    return sum;
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("first")) {
      String code = impl(args[1]).get();
      double ms = (System.nanoTime() - START) / 1e6;
      if (!code.equals("A")) {
        throw new AssertionError(code);
      }
      System.out.println("{\"impl\":\"" + args[1] + "\",\"first_ms\":" + ms + "}");
      return;
    }
    int calls = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    String[] names = {"nameauth", "urlconnection", "httpclient"};
    Map<String, List<Double>> per = new LinkedHashMap<>();
    for (String n : names) {
      per.put(n, new ArrayList<>());
      Supplier<String> s = impl(n);
      for (int i = 0; i < 5000; i++) { // JIT-warm: C2 compiles the hot paths
        if (!s.get().equals("A")) {
          throw new AssertionError(n);
        }
      }
    }
    int block = calls / rounds;
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < names.length; k++) {
        String n = names[(k + r) % names.length];
        Supplier<String> s = impl(n);
        // Each block starts with a clean heap, so no block pays for another's garbage.
        System.gc();
        long t0 = cpuNanos();
        for (int i = 0; i < block; i++) {
          s.get();
        }
        per.get(n).add((cpuNanos() - t0) / 1e3 / block);
      }
    }
    for (Map.Entry<String, List<Double>> e : per.entrySet()) {
      StringBuilder sb = new StringBuilder("{\"impl\":\"" + e.getKey() + "\",\"cpu_us\":[");
      for (int i = 0; i < e.getValue().size(); i++) {
        sb.append(i == 0 ? "" : ",").append(String.format("%.3f", e.getValue().get(i)));
      }
      System.out.println(sb.append("]}"));
    }
    client.close();
  }
}

/*
 * Tests of nameauth_cancel_* and nameauth_verify_with, included by test_abi.c (which
 * defines CHECK, CHECK_STR, ZS_ID, last_error, env_or_die and make_client). The
 * sandbox's own request counter (GET /__sandbox/stats, not counted itself) says what
 * reached the server.
 */
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

/* Requests the HTTP sandbox of NAMEAUTH_ENDPOINT has received so far; -1 on failure. */
static long long sandbox_requests(void) {
  const char *endpoint = env_or_die("NAMEAUTH_ENDPOINT");
  char host[256], port[16], reply[4096];
  const char *p = strstr(endpoint, "://"), *colon, *slash, *count;
  struct addrinfo hints, *ai = NULL;
  size_t got = 0;
  ssize_t n;
  int fd;
  static const char request[] = "GET /__sandbox/stats HTTP/1.0\r\nHost: sandbox\r\n\r\n";
  if (p == NULL) return -1;
  p += 3;
  colon = strrchr(p, ':');
  slash = strchr(p, '/');
  if (colon == NULL || slash == NULL || colon > slash || (size_t)(colon - p) >= sizeof host ||
      (size_t)(slash - colon - 1) >= sizeof port) {
    return -1;
  }
  memcpy(host, p, (size_t)(colon - p));
  host[colon - p] = '\0';
  memcpy(port, colon + 1, (size_t)(slash - colon - 1));
  port[slash - colon - 1] = '\0';
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &ai) != 0) return -1;
  fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
  if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
      write(fd, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) {
    if (fd >= 0) close(fd);
    freeaddrinfo(ai);
    return -1;
  }
  freeaddrinfo(ai);
  while (got < sizeof reply - 1 && (n = read(fd, reply + got, sizeof reply - 1 - got)) > 0) {
    got += (size_t)n;
  }
  close(fd);
  reply[got] = '\0';
  count = strstr(reply, "\"requests\":");
  return count ? strtoll(count + strlen("\"requests\":"), NULL, 10) : -1;
}

static void test_cancel_statuses(void) {
  CHECK(NAMEAUTH_CANCELLED == 11);
  CHECK_STR(nameauth_result_kind(NAMEAUTH_CANCELLED), "cancelled");
  CHECK(strcmp(nameauth_result_str(NAMEAUTH_CANCELLED), "unknown result") != 0);
}

static void test_verify_with(void) {
  nameauth_client *c = make_client(NULL);
  nameauth_cancel *token = NULL;
  nameauth_verdict *v = NULL;
  nameauth_stats st;
  long long before;

  CHECK(nameauth_cancel_new(&token) == NAMEAUTH_OK && token != NULL);
  CHECK(nameauth_cancel_new(NULL) == NAMEAUTH_NULL_ARGUMENT);

  /* A token not cancelled, and no token at all: the call is nameauth_verify. */
  CHECK(nameauth_verify_with(c, "oZhangSan", "张三", ZS_ID, NULL, token, 0, &v) == NAMEAUTH_OK);
  CHECK(v != NULL && strcmp(nameauth_verdict_code(v), "A") == 0);
  nameauth_verdict_free(v);
  v = NULL;
  CHECK(nameauth_verify_with(c, "oZhangSan", "张三", ZS_ID, "1", NULL, 0, &v) == NAMEAUTH_OK);
  CHECK(v != NULL && strcmp(nameauth_verdict_code(v), "A") == 0);
  nameauth_verdict_free(v);

  /* Cancelled before the call: nothing reaches the sandbox. */
  before = sandbox_requests();
  CHECK(before >= 2);
  nameauth_cancel_cancel(token);
  nameauth_cancel_cancel(token); /* twice is fine */
  v = (nameauth_verdict *)1;
  CHECK(nameauth_verify_with(c, "oZhangSan", "张三", ZS_ID, NULL, token, 0, &v) ==
        NAMEAUTH_CANCELLED);
  CHECK(v == NULL);
  CHECK(strstr(last_error(), "cancelled") != NULL && strstr(last_error(), "nothing was sent"));
  CHECK(sandbox_requests() == before);
  st.size = sizeof st;
  CHECK(nameauth_client_stats(c, &st) == NAMEAUTH_OK);
  CHECK(st.calls == 3 && st.requests == 2 && st.cancelled == 1);
  CHECK(st.errors[0] + st.errors[1] + st.errors[2] + st.errors[3] + st.errors[4] +
            st.errors[5] == 0);

  /* The caller's deadline, sooner than the timeout: a timeout that says so. oSlow answers
     after 5 s; the client's timeout is 30 s. */
  nameauth_client_free(c);
  c = make_client("timeout_ms=30000;retries=0");
  v = (nameauth_verdict *)1;
  CHECK(nameauth_verify_with(c, "oSlow", "张三", ZS_ID, NULL, NULL, 200, &v) == NAMEAUTH_TIMEOUT);
  CHECK(v == NULL);
  CHECK(strstr(last_error(), "caller's deadline") != NULL);

  /* Bad arguments are statuses, as for nameauth_verify. */
  CHECK(nameauth_verify_with(NULL, "oZhangSan", "张三", ZS_ID, NULL, NULL, 0, &v) ==
        NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_verify_with(c, "oZhangSan", "张三", ZS_ID, NULL, NULL, 0, NULL) ==
        NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_verify_with(c, "oZhangSan", "张三", ZS_ID, NULL, token, 0, &v) ==
        NAMEAUTH_CANCELLED);

  nameauth_cancel_free(token);
  nameauth_cancel_free(NULL);
  nameauth_cancel_cancel(NULL);
  nameauth_client_free(c);
}

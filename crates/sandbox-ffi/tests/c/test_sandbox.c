/*
 * libnameauth_sandbox in a C test suite, as a user would use it: start a sandbox, point a
 * nameauth client at it, add a record and a fault, read what reached it.
 */
#include <stdio.h>
#include <string.h>

#include "nameauth.h"
#include "nameauth_sandbox.h"

static int failures = 0;
#define CHECK(cond)                                                           \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      failures++;                                                             \
    }                                                                         \
  } while (0)

static const char *ZS_ID = "110101199003074477";

static nameauth_client *client_for(const nameauth_sandbox *sb) {
  nameauth_options *o = NULL;
  nameauth_client *c = NULL;
  nameauth_options_new(&o);
  nameauth_options_set(o, "endpoint", nameauth_sandbox_endpoint(sb));
  if (nameauth_sandbox_ca_file(sb)) nameauth_options_set(o, "ca_file", nameauth_sandbox_ca_file(sb));
  CHECK(nameauth_client_new(nameauth_sandbox_appid(), nameauth_sandbox_src(),
                            nameauth_sandbox_key(), o, &c) == NAMEAUTH_OK);
  nameauth_options_free(o);
  return c;
}

static void run(int tls) {
  nameauth_sandbox *sb = NULL;
  nameauth_client *c;
  nameauth_verdict *v = NULL;
  char err[256];
  CHECK(nameauth_sandbox_start(tls, NULL, 0, &sb) == 0);
  CHECK(sb != NULL);
  CHECK(strncmp(nameauth_sandbox_endpoint(sb), tls ? "https://127.0.0.1:" : "http://127.0.0.1:",
                tls ? 18 : 17) == 0);
  CHECK((nameauth_sandbox_ca_file(sb) != NULL) == (tls != 0));
  c = client_for(sb);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  CHECK(v && strcmp(nameauth_verdict_code(v), "A") == 0);
  nameauth_verdict_free(v);
  CHECK(nameauth_sandbox_add_fixture(sb, "oMine", "{\"status\":1,\"truename\":\"王五\","
                                                  "\"creid\":\"11010519491231002X\"}") == 0);
  CHECK(nameauth_sandbox_add_fixture(sb, "oBusy", "{\"fault\":\"http_503\",\"fail_times\":1,"
                                                  "\"status\":2}") == 0);
  CHECK(nameauth_verify(c, "oMine", "王五", "11010519491231002x", NULL, &v) == NAMEAUTH_OK);
  CHECK(v && strcmp(nameauth_verdict_code(v), "A") == 0);
  nameauth_verdict_free(v);
  CHECK(nameauth_verify(c, "oBusy", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  CHECK(v && strcmp(nameauth_verdict_code(v), "E") == 0);
  nameauth_verdict_free(v);
  CHECK(nameauth_sandbox_hits(sb, "oBusy") == 2);
  CHECK(nameauth_sandbox_requests(sb) == 4);
  CHECK(nameauth_sandbox_connections(sb) >= 1);
  CHECK(nameauth_sandbox_add_fixture(sb, "oBad", "{\"status\":99}") == 1);
  CHECK(nameauth_sandbox_last_error(err, sizeof err) > 0 && strstr(err, "oBad") != NULL);
  CHECK(nameauth_sandbox_add_fixture(sb, NULL, "{}") == 1);
  CHECK(nameauth_sandbox_hits(NULL, "x") == 0 && nameauth_sandbox_endpoint(NULL) == NULL);
  nameauth_client_free(c);
  nameauth_sandbox_free(sb);
  nameauth_sandbox_free(NULL);
}

int main(void) {
  nameauth_sandbox *sb = (nameauth_sandbox *)1;
  char err[8] = "stale";
  /* A thread that never failed has no last error: "" and 0. */
  CHECK(nameauth_sandbox_last_error(err, sizeof err) == 0 && err[0] == '\0');
  run(0);
  run(1);
  CHECK(nameauth_sandbox_start(0, "{not json", 0, &sb) == 1 && sb == NULL);
  CHECK(nameauth_sandbox_start(0, NULL, 0, NULL) == 1);
  if (failures) {
    fprintf(stderr, "test_sandbox: %d checks failed\n", failures);
    return 1;
  }
  printf("test_sandbox: passed\n");
  return 0;
}

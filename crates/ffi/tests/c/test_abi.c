/*
 * Tests of the C ABI against the sandbox, built as C99 and as C++17, linked dynamically
 * and statically, and run under AddressSanitizer and valgrind (see the Makefile).
 *
 * Run through tools/with_sandbox.py, which sets NAMEAUTH_ENDPOINT, NAMEAUTH_APPID,
 * NAMEAUTH_SRC, NAMEAUTH_KEY (an HTTP sandbox) and NAMEAUTH_TEST_TLS_ENDPOINT,
 * NAMEAUTH_TEST_CA_FILE (an HTTPS one). The verdict and input cases come from
 * tests/conformance/cases.json (argv[1] names another copy), like every other suite's.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nameauth.h"
#include "cases.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                   \
  do {                                                                                \
    checks++;                                                                         \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);       \
      failures++;                                                                     \
    }                                                                                 \
  } while (0)

#define CHECK_STR(got, want)                                                          \
  do {                                                                                \
    const char *g_ = (got);                                                           \
    const char *w_ = (want);                                                          \
    checks++;                                                                         \
    if (g_ == NULL || strcmp(g_, w_) != 0) {                                          \
      fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
              g_ ? g_ : "(null)", w_);                                                \
      failures++;                                                                     \
    }                                                                                 \
  } while (0)

static const char *ZS_ID = "110101199003074477";

/* The last error of this thread, in a static buffer. */
static const char *last_error(void) {
  static char buf[512];
  nameauth_last_error(buf, sizeof buf);
  return buf;
}

/* The field and the rule of the last error, likewise. */
static const char *last_error_field(void) {
  static char buf[128];
  nameauth_last_error_field(buf, sizeof buf);
  return buf;
}

static const char *last_error_rule(void) {
  static char buf[128];
  nameauth_last_error_rule(buf, sizeof buf);
  return buf;
}

static const char *env_or_die(const char *name) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0') {
    fprintf(stderr, "%s is not set: run me through tools/with_sandbox.py\n", name);
    exit(2);
  }
  return v;
}

/* nameauth_client_new with options written "name=value;name=value" (or one per line),
 * set one by one with nameauth_options_set: the tests' short form. */
static nameauth_result new_client(const char *appid, const char *src, const char *key,
                                  const char *spec, nameauth_client **out) {
  nameauth_options *o = NULL;
  char buf[1024];
  char *entry;
  nameauth_result r = nameauth_options_new(&o);
  snprintf(buf, sizeof buf, "%s", spec ? spec : "");
  for (entry = strtok(buf, ";\n"); r == NAMEAUTH_OK && entry != NULL; entry = strtok(NULL, ";\n")) {
    char *eq = strchr(entry, '=');
    if (eq == NULL) {
      continue;
    }
    *eq = '\0';
    r = nameauth_options_set(o, entry, eq + 1);
  }
  if (r == NAMEAUTH_OK) {
    r = nameauth_client_new(appid, src, key, o, out);
  }
  nameauth_options_free(o);
  return r;
}

/* A client for the HTTP sandbox, or for the endpoint that `options` (NULL for none) name. */
static nameauth_client *make_client(const char *options) {
  nameauth_client *c = NULL;
  char all[1024];
  nameauth_result r;
  if (options && strstr(options, "endpoint=") != NULL) {
    snprintf(all, sizeof all, "%s", options);
  } else {
    snprintf(all, sizeof all, "endpoint=%s;%s", env_or_die("NAMEAUTH_ENDPOINT"),
             options ? options : "");
  }
  r = new_client(env_or_die("NAMEAUTH_APPID"), env_or_die("NAMEAUTH_SRC"),
                 env_or_die("NAMEAUTH_KEY"), all, &c);
  if (r != NAMEAUTH_OK) {
    fprintf(stderr, "client: %s\n", last_error());
    exit(2);
  }
  return c;
}

static void test_version(void) {
  CHECK_STR(NAMEAUTH_RESIDENT_ID_CARD, "1");
  CHECK_STR(nameauth_version(), NAMEAUTH_VERSION);
  CHECK(NAMEAUTH_VERSION_NUM ==
        ((NAMEAUTH_VERSION_MAJOR << 16) | (NAMEAUTH_VERSION_MINOR << 8) | NAMEAUTH_VERSION_PATCH));
  {
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", NAMEAUTH_VERSION_MAJOR, NAMEAUTH_VERSION_MINOR,
             NAMEAUTH_VERSION_PATCH);
    CHECK_STR(nameauth_version(), want);
  }
}

/* Each result code's kind (the error kinds of docs/SPEC.md), by its name for a failure. */
#define KIND(result, kind) {result, #result, kind}
static const struct result_kind {
  unsigned result;
  const char *name, *kind;
} RESULT_KINDS[] = {
    KIND(NAMEAUTH_OK, ""),
    KIND(NAMEAUTH_INVALID_INPUT, "invalid_input"),
    KIND(NAMEAUTH_NULL_ARGUMENT, "invalid_input"),
    KIND(NAMEAUTH_INVALID_UTF8, "invalid_input"),
    KIND(NAMEAUTH_BUFFER_TOO_SMALL, "invalid_input"),
    KIND(NAMEAUTH_INVALID_CONFIG, "invalid_config"),
    KIND(NAMEAUTH_TIMEOUT, "timeout"),
    KIND(NAMEAUTH_TRANSPORT, "transport"),
    KIND(NAMEAUTH_PROTOCOL, "protocol"),
    KIND(NAMEAUTH_INTERNAL, "internal"),
    KIND(NAMEAUTH_PANIC, "internal"),
    KIND(NAMEAUTH_CANCELLED, "cancelled"),
    KIND(12345, "internal"),
};
#undef KIND

static void test_result_strings(void) {
  unsigned r;
  size_t i;
  for (r = NAMEAUTH_OK; r <= NAMEAUTH_CANCELLED; r++) {
    CHECK(nameauth_result_str(r) != NULL && strlen(nameauth_result_str(r)) > 0);
    CHECK(strcmp(nameauth_result_str(r), "unknown result") != 0);
  }
  CHECK_STR(nameauth_result_str(999), "unknown result");
  CHECK_STR(nameauth_result_str(NAMEAUTH_TIMEOUT), "timeout");
  for (i = 0; i < sizeof RESULT_KINDS / sizeof RESULT_KINDS[0]; i++) {
    int before = failures;
    CHECK_STR(nameauth_result_kind(RESULT_KINDS[i].result), RESULT_KINDS[i].kind);
    if (failures != before) {
      fprintf(stderr, "  (the kind of %s)\n", RESULT_KINDS[i].name);
    }
  }
}

/* Known answers from docs/sign-vectors.json. */
struct vector {
  const char *appid, *openid, *src, *truename, *creid, *cretype, *key, *lower, *upper;
};

static const struct vector VECTORS[] = {
    {"wx1234567890abcdef", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "test", "张三", "110101199003074477",
     "1", "0123456789abcdef0123456789abcdef", "248079715d01cbc57b5020835d6a11ae",
     "248079715D01CBC57B5020835D6A11AE"},
    {"wx2421b1c4370ec43b", "oLVPpjqs9BhvzwPj5A-vTYAX3GLc", "src_9", "阿卜杜热合曼·买买提",
     "650102198506151232", "1", "k3y-with-symbols&=?", "4e723559f64b68aade732a2118da410e",
     "4E723559F64B68AADE732A2118DA410E"},
    {"wx2421b1c4370ec43b", "o1", "s", "李四", "11010519491231002x", "1", "key",
     "287fb04467b30a882cb6c1ff91d6b1b2", "287FB04467B30A882CB6C1FF91D6B1B2"},
};

static void test_sign(void) {
  char out[NAMEAUTH_SIGN_LEN];
  size_t i;
  for (i = 0; i < sizeof VECTORS / sizeof VECTORS[0]; i++) {
    const struct vector *v = &VECTORS[i];
    CHECK(nameauth_sign(v->appid, v->openid, v->src, v->truename, v->creid, v->cretype, v->key, NAMEAUTH_SIGN_CASE_LOWER,
                        out, sizeof out) == NAMEAUTH_OK);
    CHECK_STR(out, v->lower);
    CHECK(nameauth_sign(v->appid, v->openid, v->src, v->truename, v->creid, NULL, v->key,
                        NAMEAUTH_SIGN_CASE_UPPER, out, sizeof out) == NAMEAUTH_OK);
    CHECK_STR(out, v->upper);
  }
  {
    const struct vector *v = &VECTORS[0];
    const char *args[7];
    int k;
    memset(out, 'z', sizeof out);
    CHECK(nameauth_sign(v->appid, v->openid, v->src, v->truename, v->creid, NULL, v->key, NAMEAUTH_SIGN_CASE_LOWER, out,
                        32) == NAMEAUTH_BUFFER_TOO_SMALL);
    CHECK(out[0] == '\0');
    CHECK(strstr(last_error(), "33") != NULL);
    CHECK(nameauth_sign(v->appid, v->openid, v->src, v->truename, v->creid, NULL, v->key, NAMEAUTH_SIGN_CASE_LOWER, NULL,
                        33) == NAMEAUTH_NULL_ARGUMENT);
    CHECK_STR(last_error(), "out: is NULL");
    CHECK(nameauth_sign(v->appid, v->openid, v->src, v->truename, v->creid, NULL, v->key, 2, out,
                        sizeof out) == NAMEAUTH_INVALID_INPUT);
    CHECK_STR(last_error_field(), "sign_case");
    CHECK(nameauth_sign(v->appid, v->openid, v->src, "\xff\xfe", v->creid, NULL, v->key, NAMEAUTH_SIGN_CASE_LOWER, out,
                        sizeof out) == NAMEAUTH_INVALID_UTF8);
    CHECK_STR(last_error(), "truename: is not valid UTF-8");
    CHECK(nameauth_sign(v->appid, "", v->src, v->truename, v->creid, NULL, v->key, NAMEAUTH_SIGN_CASE_LOWER, out,
                        sizeof out) == NAMEAUTH_INVALID_INPUT);
    CHECK_STR(last_error(), "openid: must not be empty");
    CHECK(nameauth_sign(v->appid, v->openid, v->src, "a\tb", v->creid, NULL, v->key, NAMEAUTH_SIGN_CASE_LOWER, out,
                        sizeof out) == NAMEAUTH_INVALID_INPUT);
    CHECK(nameauth_sign(v->appid, v->openid, v->src, v->truename, v->creid, NULL, "", NAMEAUTH_SIGN_CASE_LOWER, out,
                        sizeof out) == NAMEAUTH_INVALID_CONFIG);
    /* Each pointer NULL in turn: a status naming it, never a crash. */
    for (k = 0; k < 7; k++) {
      const char *names[7] = {"appid", "openid", "src", "truename", "creid", "cretype", "key"};
      args[0] = v->appid;
      args[1] = v->openid;
      args[2] = v->src;
      args[3] = v->truename;
      args[4] = v->creid;
      args[5] = v->cretype;
      args[6] = v->key;
      args[k] = NULL;
      if (k == 5) {
        CHECK(nameauth_sign(args[0], args[1], args[2], args[3], args[4], args[5], args[6], NAMEAUTH_SIGN_CASE_LOWER, out,
                            sizeof out) == NAMEAUTH_OK);
        CHECK_STR(out, v->lower);
      } else {
        char want[64];
        CHECK(nameauth_sign(args[0], args[1], args[2], args[3], args[4], args[5], args[6], NAMEAUTH_SIGN_CASE_LOWER, out,
                            sizeof out) == NAMEAUTH_NULL_ARGUMENT);
        snprintf(want, sizeof want, "%s: is NULL", names[k]);
        CHECK_STR(last_error(), want);
      }
    }
  }
}

static void test_last_error(void) {
  char small[8];
  size_t n;
  const char *full = "openid: must not be empty";
  char out[NAMEAUTH_SIGN_LEN];
  CHECK(nameauth_sign("a", "", "s", "n", "c", NULL, "k", NAMEAUTH_SIGN_CASE_LOWER, out, sizeof out) ==
        NAMEAUTH_INVALID_INPUT);
  n = nameauth_last_error(NULL, 0);
  CHECK(n == strlen(full));
  n = nameauth_last_error(small, sizeof small);
  CHECK(n == strlen(full));
  CHECK_STR(small, "openid:");
  memset(small, 'x', sizeof small);
  CHECK(nameauth_last_error(small, 1) == strlen(full));
  CHECK(small[0] == '\0');
  /* A success leaves the message alone. */
  CHECK(nameauth_sign("a", "o", "s", "n", "c", NULL, "k", NAMEAUTH_SIGN_CASE_LOWER, out, sizeof out) == NAMEAUTH_OK);
  CHECK_STR(last_error(), full);
}

static void test_client_new(void) {
  nameauth_client *c = (nameauth_client *)1;
  const char *appid = env_or_die("NAMEAUTH_APPID");
  const char *src = env_or_die("NAMEAUTH_SRC");
  const char *key = env_or_die("NAMEAUTH_KEY");
  CHECK(nameauth_client_new(appid, src, key, NULL, NULL) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_client_new(NULL, src, key, NULL, &c) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(c == NULL);
  CHECK_STR(last_error(), "appid: is NULL");
  CHECK_STR(last_error_field(), "appid");
  CHECK_STR(last_error_rule(), "null");
  c = (nameauth_client *)1;
  CHECK(nameauth_client_new(appid, src, "", NULL, &c) == NAMEAUTH_INVALID_CONFIG);
  CHECK(c == NULL);
  CHECK_STR(last_error(), "key: must not be empty");
  CHECK_STR(last_error_field(), "key");
  CHECK_STR(last_error_rule(), "empty");
  CHECK(new_client(appid, src, key, "endpoint=http://192.0.2.1/x", &c) == NAMEAUTH_INVALID_CONFIG);
  CHECK(c == NULL);
  CHECK_STR(last_error_field(), "endpoint");
  CHECK(new_client(appid, src, key, "endpoint=https://192.0.2.1/x;timeout_ms=100\nretries=0", &c) ==
        NAMEAUTH_OK);
  CHECK(c != NULL);
  CHECK(strstr(last_error(), key) == NULL);
  nameauth_client_free(c);
  nameauth_client_free(NULL);
}

static void test_options(void) {
  const char *appid = env_or_die("NAMEAUTH_APPID");
  const char *src = env_or_die("NAMEAUTH_SRC");
  const char *key = env_or_die("NAMEAUTH_KEY");
  nameauth_options *o = NULL;
  nameauth_client *c = (nameauth_client *)1;
  nameauth_verdict *v = NULL;
  CHECK(nameauth_options_new(NULL) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_options_new(&o) == NAMEAUTH_OK && o != NULL);
  CHECK(nameauth_options_set(NULL, "retries", "0") == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_options_set(o, NULL, "0") == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_options_set(o, "retries", NULL) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_options_set(o, "retries", "\xff") == NAMEAUTH_INVALID_UTF8);
  CHECK_STR(last_error_field(), "retries");
  CHECK_STR(last_error(), "retries: is not valid UTF-8");
  CHECK(nameauth_options_set(o, "colour", "\xff") == NAMEAUTH_INVALID_CONFIG);
  CHECK_STR(last_error_rule(), "unknown_option");
  CHECK(nameauth_options_set(o, "colour", "blue") == NAMEAUTH_INVALID_CONFIG);
  CHECK_STR(last_error_field(), "options");
  CHECK_STR(last_error_rule(), "unknown_option");
  CHECK(strstr(last_error(), "blue") == NULL);
  CHECK(nameauth_options_set(o, "timeout_ms", "pa55;word") == NAMEAUTH_INVALID_CONFIG);
  CHECK_STR(last_error_field(), "timeout_ms");
  CHECK_STR(last_error_rule(), "bad_value");
  CHECK(strstr(last_error(), "pa55") == NULL);
  CHECK(nameauth_options_set(o, "retries", "11") == NAMEAUTH_INVALID_CONFIG);
  CHECK_STR(last_error_field(), "retries");
  /* A value may hold ';', '=' and '\\': a proxy password that the option string could
   * not carry. The client is built (nothing connects until a verify). */
  CHECK(nameauth_options_set(o, "proxy", "http://user:p;a=s\\s@127.0.0.1:9") == NAMEAUTH_OK);
  CHECK(nameauth_options_set(o, "endpoint", "https://127.0.0.1:9/x") == NAMEAUTH_OK);
  CHECK(nameauth_client_new(appid, src, key, o, &c) == NAMEAUTH_OK && c != NULL);
  nameauth_client_free(c);
  /* Setting a name again replaces it; the handle may be reused after a build. */
  CHECK(nameauth_options_set(o, "proxy", "socks5://127.0.0.1:9") == NAMEAUTH_OK);
  c = (nameauth_client *)1;
  CHECK(nameauth_client_new(appid, src, key, o, &c) == NAMEAUTH_INVALID_CONFIG);
  CHECK(c == NULL);
  CHECK_STR(last_error_field(), "proxy");
  nameauth_options_free(o);
  nameauth_options_free(NULL);
  /* NULL options: every default but the endpoint, which must then be given another way. */
  CHECK(nameauth_options_new(&o) == NAMEAUTH_OK);
  CHECK(nameauth_options_set(o, "endpoint", env_or_die("NAMEAUTH_ENDPOINT")) == NAMEAUTH_OK);
  CHECK(nameauth_options_set(o, "timeout_ms", "5000") == NAMEAUTH_OK);
  CHECK(nameauth_client_new(appid, src, key, o, &c) == NAMEAUTH_OK);
  nameauth_options_free(o);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  CHECK_STR(nameauth_verdict_code(v), "A");
  nameauth_verdict_free(v);
  /* Field and rule of an input error; "" for an error without them. */
  CHECK(nameauth_verify(c, "oZhangSan", "张三", "110101199003074478", NULL, &v) ==
        NAMEAUTH_INVALID_INPUT);
  CHECK_STR(last_error_field(), "creid");
  CHECK_STR(last_error_rule(), "id_check_character");
  CHECK(nameauth_last_error_field(NULL, 0) == strlen("creid"));
  CHECK(nameauth_verify(c, "oHttp500", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK_STR(last_error_field(), "");
  CHECK_STR(last_error_rule(), "");
  nameauth_client_free(c);
  CHECK(nameauth_client_new(NULL, src, key, NULL, &c) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_client_new(appid, src, key, NULL, NULL) == NAMEAUTH_NULL_ARGUMENT);
}

/* Every error path: the message, field and rule never hold the key, a proxy password,
 * the name or the ID number. */
static void test_no_error_carries_a_secret(void) {
  const char *key = env_or_die("NAMEAUTH_KEY");
  const char *name = "欧阳修梅";
  const char *password = "pr0xy-pa55word";
  const char *secrets[5];
  char keynl[256];
  nameauth_client *c = make_client("timeout_ms=500");
  nameauth_verdict *v = NULL;
  nameauth_options *o = NULL;
  const char *openids[] = {"oReset", "oSlow", "oDuplicateKeys", "oHttp502", "oGarbage"};
  size_t i, j;
  secrets[0] = key;
  secrets[1] = password;
  secrets[2] = name;
  secrets[3] = ZS_ID;
  secrets[4] = "110101199003074478";
  for (i = 0; i < 7; i++) {
    nameauth_result r;
    if (i < 5) {
      r = nameauth_verify(c, openids[i], name, ZS_ID, NULL, &v);
    } else if (i == 5) {
      r = nameauth_verify(c, "oZhangSan", "欧阳修梅1", ZS_ID, NULL, &v);
    } else {
      r = nameauth_verify(c, "oZhangSan", name, "110101199003074478", NULL, &v);
    }
    CHECK(r != NAMEAUTH_OK);
    for (j = 0; j < 5; j++) {
      CHECK(strstr(last_error(), secrets[j]) == NULL);
      CHECK(strstr(last_error_field(), secrets[j]) == NULL);
    }
  }
  nameauth_client_free(c);
  snprintf(keynl, sizeof keynl, "%s\n", key);
  CHECK(nameauth_client_new("wx1", "s", keynl, NULL, &c) == NAMEAUTH_INVALID_CONFIG);
  for (j = 0; j < 5; j++) CHECK(strstr(last_error(), secrets[j]) == NULL);
  CHECK(nameauth_options_new(&o) == NAMEAUTH_OK);
  CHECK(nameauth_options_set(o, "proxy", "socks5://u:pr0xy-pa55word@127.0.0.1:9") == NAMEAUTH_OK);
  CHECK(nameauth_client_new("wx1", "s", key, o, &c) == NAMEAUTH_INVALID_CONFIG);
  for (j = 0; j < 5; j++) CHECK(strstr(last_error(), secrets[j]) == NULL);
  CHECK(nameauth_options_set(o, "timeout_ms", "pr0xy-pa55word") == NAMEAUTH_INVALID_CONFIG);
  for (j = 0; j < 5; j++) CHECK(strstr(last_error(), secrets[j]) == NULL);
  nameauth_options_free(o);
}

static void test_client_from_env(void) {
  nameauth_client *c = NULL;
  char *key = strdup(env_or_die("NAMEAUTH_KEY"));
  CHECK(nameauth_client_new_from_env(NULL) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_client_new_from_env(&c) == NAMEAUTH_OK);
  nameauth_client_free(c);
  unsetenv("NAMEAUTH_KEY");
  CHECK(nameauth_client_new_from_env(&c) == NAMEAUTH_INVALID_CONFIG);
  CHECK(c == NULL);
  CHECK_STR(last_error(), "key: not set (set NAMEAUTH_KEY or pass it explicitly)");
  setenv("NAMEAUTH_KEY", key, 1);
  setenv("NAMEAUTH_TIMEOUT_MS", "0", 1);
  CHECK(nameauth_client_new_from_env(&c) == NAMEAUTH_INVALID_CONFIG);
  CHECK(strstr(last_error(), "NAMEAUTH_TIMEOUT_MS") != NULL);
  unsetenv("NAMEAUTH_TIMEOUT_MS");
  free(key);
}

static const char *CASES_PATH = "tests/conformance/cases.json";
static struct json CASES;

/* Runs every case of the table that needs no change to the environment through
 * nameauth_verify on `c`, and compares the verdict fields or the error kind. */
static void check_cases(nameauth_client *c, const char *how) {
  size_t i, ran = 0;
  for (i = 0; i < CASES.len; i++) {
    const struct json *k = &CASES.items[i];
    const struct json *args = json_get(k, "args");
    const struct json *env = json_get(k, "env");
    const struct json *expect = json_get(k, "expect");
    const char *name = json_str(k, "name");
    const char *want_error = json_str(expect, "error");
    nameauth_verdict *v = NULL;
    nameauth_result r;
    if (env == NULL || env->len != 0 || args == NULL || args->len < 3) continue;
    /* Faults written on the socket itself are TLS errors under TLS. */
    if (strcmp(how, "https") == 0 && json_get(k, "http_only") != NULL) continue;
    ran++;
    r = nameauth_verify(c, args->items[0].string, args->items[1].string, args->items[2].string,
                        args->len > 3 ? args->items[3].string : NULL, &v);
    if (want_error) {
      checks++;
      if (r == NAMEAUTH_OK || strcmp(nameauth_result_kind(r), want_error) != 0) {
        fprintf(stderr, "%s %s: want %s, got status %u\n", how, name, want_error, (unsigned)r);
        failures++;
      }
      nameauth_verdict_free(v);
      continue;
    }
    if (r != NAMEAUTH_OK) {
      fprintf(stderr, "%s %s: %s\n", how, name, last_error());
      failures++;
      continue;
    }
    CHECK_STR(nameauth_verdict_code(v), json_str(expect, "code"));
    CHECK_STR(nameauth_verdict_reason(v), json_str(expect, "reason"));
    CHECK_STR(nameauth_verdict_nameauth_status(v), json_str(expect, "nameauth_status"));
    CHECK_STR(nameauth_verdict_notmatch_param(v), json_str(expect, "notmatch_param"));
    CHECK_STR(nameauth_verdict_name_mask(v), json_str(expect, "name_mask"));
    CHECK(nameauth_verdict_error_code(v) == json_get(expect, "error_code")->number);
    CHECK(nameauth_verdict_passed(v) == (strcmp(json_str(expect, "code"), "A") == 0));
    {
      long long ec = nameauth_verdict_error_code(v);
      CHECK(nameauth_verdict_is_config_problem(v) ==
            (ec == 1000 || ec == 1001 || ec == 1002 || ec == 1007));
    }
    CHECK(strlen(nameauth_verdict_message_zh(v)) > 0);
    CHECK(strlen(nameauth_verdict_message_en(v)) > 0);
    CHECK(strlen(nameauth_verdict_advice_zh(v)) > 0);
    CHECK(strlen(nameauth_verdict_advice_en(v)) > 0);
    nameauth_verdict_free(v);
  }
  /* A table that lost its rows would make this test pass vacuously. */
  CHECK(ran >= 50);
}

static void test_every_case(void) {
  nameauth_client *c = make_client(NULL);
  nameauth_verdict *v = NULL;
  check_cases(c, "http");
  CHECK(nameauth_verify(c, "oZhangSan", "李四", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  CHECK_STR(nameauth_verdict_message_zh(v), "姓名错误");
  CHECK_STR(nameauth_verdict_advice_zh(v), "再次输入姓名");
  nameauth_verdict_free(v);
  nameauth_client_free(c);
}

static void test_https(void) {
  char options[1024];
  nameauth_client *c;
  nameauth_verdict *v = (nameauth_verdict *)1;
  snprintf(options, sizeof options, "endpoint=%s;ca_file=%s",
           env_or_die("NAMEAUTH_TEST_TLS_ENDPOINT"), env_or_die("NAMEAUTH_TEST_CA_FILE"));
  c = make_client(options);
  check_cases(c, "https");
  nameauth_client_free(c);
  snprintf(options, sizeof options, "endpoint=%s", env_or_die("NAMEAUTH_TEST_TLS_ENDPOINT"));
  c = make_client(options);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(v == NULL);
  CHECK(strstr(last_error(), "TLS") != NULL);
  nameauth_client_free(c);
}

struct fault {
  const char *openid;
  nameauth_result status;
  const char *words;
};

static void test_faults(void) {
  static const struct fault FAULTS[] = {
      {"oSlow", NAMEAUTH_TIMEOUT, "2000 ms timeout"},
      {"oReset", NAMEAUTH_TRANSPORT, "reset"},
      {"oHangup", NAMEAUTH_TRANSPORT, "closed"},
      {"oHttp500", NAMEAUTH_TRANSPORT, "HTTP status 500"},
      {"oHttp503", NAMEAUTH_TRANSPORT, "HTTP status 503"},
      {"oGarbage", NAMEAUTH_PROTOCOL, "JSON"},
      {"oOversized", NAMEAUTH_PROTOCOL, "64 KiB"},
      {"oTruncated", NAMEAUTH_PROTOCOL, "JSON"},
      {"oEmpty", NAMEAUTH_PROTOCOL, "empty"},
  };
  nameauth_client *c = make_client("timeout_ms=2000");
  size_t i;
  for (i = 0; i < sizeof FAULTS / sizeof FAULTS[0]; i++) {
    nameauth_verdict *v = (nameauth_verdict *)1;
    nameauth_result r = nameauth_verify(c, FAULTS[i].openid, "张三", ZS_ID, NULL, &v);
    if (r != FAULTS[i].status) {
      fprintf(stderr, "%s: got %s (%s)\n", FAULTS[i].openid, nameauth_result_str(r), last_error());
    }
    CHECK(r == FAULTS[i].status);
    CHECK(v == NULL);
    CHECK(strstr(last_error(), FAULTS[i].words) != NULL);
    CHECK(strstr(last_error(), "张三") == NULL && strstr(last_error(), ZS_ID) == NULL);
    /* The HTTP status of a non-2xx answer, 0 for every other failure. */
    CHECK(nameauth_last_error_http_status() ==
          (strcmp(FAULTS[i].openid, "oHttp500") == 0   ? 500
           : strcmp(FAULTS[i].openid, "oHttp503") == 0 ? 503
                                                        : 0));
  }
  nameauth_client_free(c);
}

static void test_bad_arguments(void) {
  nameauth_client *c = make_client(NULL);
  nameauth_verdict *v = (nameauth_verdict *)1;
  CHECK(nameauth_verify(NULL, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(v == NULL);
  CHECK_STR(last_error(), "client: is NULL");
  CHECK(nameauth_verify(c, NULL, "张三", ZS_ID, NULL, &v) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_verify(c, "oZhangSan", NULL, ZS_ID, NULL, &v) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", NULL, NULL, &v) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, NULL) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_verify(c, "oZhangSan", "\xe5\xbc", ZS_ID, NULL, &v) == NAMEAUTH_INVALID_UTF8);
  CHECK_STR(last_error(), "truename: is not valid UTF-8");
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, "\x80", &v) == NAMEAUTH_INVALID_UTF8);
  CHECK(nameauth_verify(c, "o.1", "张三", ZS_ID, NULL, &v) == NAMEAUTH_INVALID_INPUT);
  CHECK(strncmp(last_error(), "openid: ", 8) == 0);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", "110101199003074478", NULL, &v) ==
        NAMEAUTH_INVALID_INPUT);
  CHECK(strstr(last_error(), "check character") != NULL);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", "110105491231002", NULL, &v) ==
        NAMEAUTH_INVALID_INPUT);
  CHECK(strstr(last_error(), "2013") != NULL);
  CHECK(v == NULL);
  /* Accessors and frees on NULL. */
  CHECK_STR(nameauth_verdict_code(NULL), "");
  CHECK_STR(nameauth_verdict_reason(NULL), "");
  CHECK_STR(nameauth_verdict_message_zh(NULL), "");
  CHECK_STR(nameauth_verdict_name_mask(NULL), "");
  CHECK(nameauth_verdict_error_code(NULL) == 0);
  CHECK(!nameauth_verdict_passed(NULL));
  CHECK(!nameauth_verdict_is_config_problem(NULL));
  nameauth_verdict_free(NULL);
  /* validate_id */
  CHECK(nameauth_validate_id(ZS_ID) == NAMEAUTH_OK);
  CHECK(nameauth_validate_id("11010519491231002x") == NAMEAUTH_OK);
  CHECK(nameauth_validate_id("110101199002304470") == NAMEAUTH_INVALID_INPUT);
  CHECK(strstr(last_error(), "birth date") != NULL);
  CHECK(nameauth_validate_id(NULL) == NAMEAUTH_NULL_ARGUMENT);
  nameauth_client_free(c);
}

#define THREADS 8
#define CALLS 25

struct job {
  nameauth_client *client;
  int index;
  int bad;
};

static void *worker(void *arg) {
  struct job *job = (struct job *)arg;
  int i;
  char out[NAMEAUTH_SIGN_LEN];
  /* Each thread's last error is its own. */
  if (nameauth_sign("a", "o", "", "n", "c", NULL, "k", NAMEAUTH_SIGN_CASE_LOWER, out, sizeof out) != NAMEAUTH_INVALID_INPUT ||
      strcmp(last_error(), "src: must not be empty") != 0) {
    job->bad++;
  }
  for (i = 0; i < CALLS; i++) {
    int wrong = (job->index + i) % 2;
    nameauth_verdict *v = NULL;
    if (nameauth_verify(job->client, "oZhangSan", wrong ? "李四" : "张三", ZS_ID, NULL, &v) !=
        NAMEAUTH_OK) {
      job->bad++;
      continue;
    }
    if (strcmp(nameauth_verdict_code(v), wrong ? "B" : "A") != 0) job->bad++;
    nameauth_verdict_free(v);
  }
  return NULL;
}

static void test_threads(void) {
  pthread_t threads[THREADS];
  struct job jobs[THREADS];
  int i;
  char out[NAMEAUTH_SIGN_LEN];
  nameauth_client *c = make_client(NULL);
  CHECK(nameauth_sign("a", "", "s", "n", "c", NULL, "k", NAMEAUTH_SIGN_CASE_LOWER, out, sizeof out) ==
        NAMEAUTH_INVALID_INPUT);
  for (i = 0; i < THREADS; i++) {
    jobs[i].client = c;
    jobs[i].index = i;
    jobs[i].bad = 0;
    CHECK(pthread_create(&threads[i], NULL, worker, &jobs[i]) == 0);
  }
  for (i = 0; i < THREADS; i++) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(jobs[i].bad == 0);
  }
  CHECK_STR(last_error(), "openid: must not be empty");
  nameauth_client_free(c);
}

static void test_stats(void) {
  nameauth_client *c = make_client(NULL);
  nameauth_verdict *v = NULL;
  nameauth_stats st;
  memset(&st, 0xff, sizeof st);
  st.size = sizeof st;
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  nameauth_verdict_free(v);
  /* Always 503: retried twice (the check cannot have run), then an error. */
  CHECK(nameauth_verify(c, "oHttp503", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(nameauth_verify(c, "oZhangSan", "", ZS_ID, NULL, &v) == NAMEAUTH_INVALID_INPUT);
  CHECK(nameauth_client_stats(c, &st) == NAMEAUTH_OK);
  CHECK(st.size == sizeof st);
  CHECK(st.calls == 3 && st.requests == 4 && st.retries == 2 && st.failovers == 0);
  /* The pool is the process's: earlier clients with these settings may have left a connection. */
  CHECK(st.connections_opened <= st.requests);
  CHECK(st.verdicts[0] == 1 && st.verdicts[1] == 0 && st.verdicts[6] == 0);
  CHECK(st.errors[0] == 1 && st.errors[3] == 1);
  CHECK(st.latency_p50_us > 0 && st.latency_p50_us <= st.latency_p90_us &&
        st.latency_p90_us <= st.latency_p99_us);
  {
    /* An older, smaller struct: only its fields are written. */
    struct {
      size_t size;
      uint64_t calls;
      uint64_t guard;
    } old;
    old.size = sizeof(size_t) + sizeof(uint64_t);
    old.calls = 0;
    old.guard = 42;
    CHECK(nameauth_client_stats(c, (nameauth_stats *)&old) == NAMEAUTH_OK);
    CHECK(old.calls == 3 && old.guard == 42);
    old.size = 1;
    CHECK(nameauth_client_stats(c, (nameauth_stats *)&old) == NAMEAUTH_BUFFER_TOO_SMALL);
    CHECK_STR(last_error_rule(), "buffer_too_small");
  }
  CHECK(nameauth_client_stats(NULL, &st) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_client_stats(c, NULL) == NAMEAUTH_NULL_ARGUMENT);
  nameauth_client_free(c);
}

/* What the log callback received. */
struct log_seen {
  int lines;
  int warnings;
  char last[512];
  int leaked;
};

static void on_log(void *userdata, uint32_t level, const char *message) {
  struct log_seen *seen = (struct log_seen *)userdata;
  seen->lines++;
  if (level == NAMEAUTH_LOG_WARN) seen->warnings++;
  snprintf(seen->last, sizeof seen->last, "%s", message);
  if (strstr(message, "张三") || strstr(message, ZS_ID) || strstr(message, "sign=") ||
      strstr(message, env_or_die("NAMEAUTH_KEY")))
    seen->leaked++;
}

static void test_logs(void) {
  nameauth_client *c = make_client(NULL);
  nameauth_verdict *v = NULL;
  struct log_seen seen;
  char captured[2048];
  memset(&seen, 0, sizeof seen);
  CHECK(nameauth_set_log_callback(on_log, &seen, NAMEAUTH_LOG_INFO) == NAMEAUTH_OK);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  nameauth_verdict_free(v);
  CHECK(seen.lines == 1 && seen.warnings == 0);
  CHECK(strncmp(seen.last, "verify openid=oZh****an truename=*三 creid=110*************77 "
                           "outcome=A attempts=1",
                strlen("verify openid=oZh****an truename=*三 creid=110*************77 "
                       "outcome=A attempts=1")) == 0);
  CHECK(nameauth_verify(c, "oHttp503", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(seen.lines == 4 && seen.warnings == 2);
  CHECK(strstr(seen.last, "outcome=transport attempts=3") != NULL);
  /* At WARN only retries and failovers are logged. */
  CHECK(nameauth_set_log_callback(on_log, &seen, NAMEAUTH_LOG_WARN) == NAMEAUTH_OK);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  nameauth_verdict_free(v);
  CHECK(nameauth_verify(c, "oHttp500", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(seen.lines == 4);
  CHECK(nameauth_verify(c, "oHttp503", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(seen.lines == 6 && seen.warnings == 4);
  CHECK(seen.leaked == 0);
  CHECK(nameauth_set_log_callback(on_log, &seen, 9) == NAMEAUTH_INVALID_INPUT);
  CHECK(nameauth_set_log_callback(NULL, NULL, NAMEAUTH_LOG_OFF) == NAMEAUTH_OK);
  CHECK(nameauth_verify(c, "oHttp503", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(seen.lines == 6);

  /* Capture, for bindings without callbacks. */
  CHECK(nameauth_log_capture(NAMEAUTH_LOG_INFO) == NAMEAUTH_LOG_OFF);
  CHECK(nameauth_verify(c, "oHttp503", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(nameauth_log_captured(captured, sizeof captured) < sizeof captured);
  CHECK(strncmp(captured, "2 retry: attempt 1 failed", 25) == 0);
  CHECK(strstr(captured, "\n3 verify openid=oHt***03 truename=*三") != NULL);
  CHECK(strstr(captured, "张三") == NULL && strstr(captured, ZS_ID) == NULL);
  /* A call refused at the boundary (NULL, bad UTF-8) captures nothing, and drops the
     previous call's lines: a binding must never read another call's lines as its own. */
  CHECK(nameauth_verify(c, NULL, "张三", ZS_ID, NULL, &v) == NAMEAUTH_NULL_ARGUMENT);
  CHECK(nameauth_log_captured(captured, sizeof captured) == 0 && captured[0] == '\0');
  CHECK(nameauth_verify(c, "oHttp503", "张三", ZS_ID, NULL, &v) == NAMEAUTH_TRANSPORT);
  CHECK(nameauth_log_captured(captured, sizeof captured) > 0);
  CHECK(nameauth_verify(c, "oZhangSan", "\xff", ZS_ID, NULL, &v) == NAMEAUTH_INVALID_UTF8);
  CHECK(nameauth_log_captured(captured, sizeof captured) == 0 && captured[0] == '\0');
  CHECK(nameauth_log_capture(NAMEAUTH_LOG_OFF) == NAMEAUTH_LOG_INFO);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  nameauth_verdict_free(v);
  CHECK(nameauth_log_captured(captured, sizeof captured) == 0);
  nameauth_client_free(c);
}

static void test_fallback_endpoint(void) {
  char options[1024];
  nameauth_client *c;
  nameauth_verdict *v = NULL;
  nameauth_stats st;
  /* Nothing listens on port 1: the fallback (the sandbox) takes the call. */
  snprintf(options, sizeof options, "endpoint=http://127.0.0.1:1/x;fallback_endpoint=%s",
           env_or_die("NAMEAUTH_ENDPOINT"));
  c = make_client(options);
  CHECK(nameauth_verify(c, "oZhangSan", "张三", ZS_ID, NULL, &v) == NAMEAUTH_OK);
  CHECK(v != NULL && strcmp(nameauth_verdict_code(v), "A") == 0);
  nameauth_verdict_free(v);
  st.size = sizeof st;
  CHECK(nameauth_client_stats(c, &st) == NAMEAUTH_OK);
  CHECK(st.failovers == 1 && st.requests == 2);
  nameauth_client_free(c);
}

#include "cancel.h"

int main(int argc, char **argv) {
  if (argc > 1) CASES_PATH = argv[1];
  json_load(CASES_PATH, &CASES);
  test_version();
  test_result_strings();
  test_sign();
  test_last_error();
  test_client_new();
  test_options();
  test_no_error_carries_a_secret();
  test_client_from_env();
  test_every_case();
  test_https();
  test_faults();
  test_bad_arguments();
  test_threads();
  test_stats();
  test_logs();
  test_fallback_endpoint();
  test_cancel_statuses();
  test_verify_with();
  /* Every client is freed: the pools go too, so valgrind sees no leak. */
  nameauth_release_pools();
  json_free(&CASES);
  if (failures) {
    fprintf(stderr, "test_abi: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_abi (%s): %d checks passed\n",
#ifdef __cplusplus
         "C++",
#else
         "C",
#endif
         checks);
  return 0;
}

/*
 * verify: checks one user with nameauth and prints one JSON line (CONFORMANCE.md).
 *
 *   cc examples/c/verify.c -Iinclude -Ltarget/x86_64-unknown-linux-gnu/release -lnameauth -o verify
 *   NAMEAUTH_APPID=... NAMEAUTH_SRC=... NAMEAUTH_KEY=... ./verify OPENID TRUENAME CREID [CRETYPE]
 *
 * Exit status 0 when the server answered (any verdict), 2 on any error.
 */
#include <stdio.h>
#include <string.h>

#include "nameauth.h"

/* Writes s as a JSON string: UTF-8 as is, quotes, backslashes and controls escaped. */
static void json_string(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  putchar('"');
  for (; *p; p++) {
    switch (*p) {
      case '"': fputs("\\\"", stdout); break;
      case '\\': fputs("\\\\", stdout); break;
      case '\n': fputs("\\n", stdout); break;
      case '\r': fputs("\\r", stdout); break;
      case '\t': fputs("\\t", stdout); break;
      case '\b': fputs("\\b", stdout); break;
      case '\f': fputs("\\f", stdout); break;
      default:
        if (*p < 0x20) {
          printf("\\u%04x", *p);
        } else {
          putchar(*p);
        }
    }
  }
  putchar('"');
}

static int print_error(const char *kind, const char *message) {
  fputs("{\"error\":", stdout);
  json_string(kind);
  fputs(",\"message\":", stdout);
  json_string(message);
  fputs("}\n", stdout);
  return 2;
}

static int print_last_error(nameauth_result r) {
  char message[1024];
  nameauth_last_error(message, sizeof message);
  return print_error(nameauth_result_kind(r), message);
}

int main(int argc, char **argv) {
  nameauth_client *client = NULL;
  nameauth_verdict *v = NULL;
  nameauth_result r;

  if (argc < 4 || argc > 5) {
    return print_error("invalid_input", "usage: verify OPENID TRUENAME CREID [CRETYPE]");
  }
  /* NAMEAUTH_APPID, _SRC, _KEY and one variable per option (_ENDPOINT, _TIMEOUT_MS, ...).
   * A program with its own configuration uses nameauth_options_new/_set and
   * nameauth_client_new instead; nameauth_last_error_field() then names the option at
   * fault. */
  r = nameauth_client_new_from_env(&client);
  if (r != NAMEAUTH_OK) {
    return print_last_error(r);
  }
  r = nameauth_verify(client, argv[1], argv[2], argv[3], argc == 5 ? argv[4] : NULL, &v);
  if (r != NAMEAUTH_OK) {
    nameauth_client_free(client);
    return print_last_error(r);
  }
  fputs("{\"code\":", stdout);
  json_string(nameauth_verdict_code(v));
  fputs(",\"reason\":", stdout);
  json_string(nameauth_verdict_reason(v));
  printf(",\"error_code\":%lld", (long long)nameauth_verdict_error_code(v));
  fputs(",\"nameauth_status\":", stdout);
  json_string(nameauth_verdict_nameauth_status(v));
  fputs(",\"notmatch_param\":", stdout);
  json_string(nameauth_verdict_notmatch_param(v));
  fputs(",\"name_mask\":", stdout);
  json_string(nameauth_verdict_name_mask(v));
  fputs("}\n", stdout);
  nameauth_verdict_free(v);
  nameauth_client_free(client);
  return 0;
}

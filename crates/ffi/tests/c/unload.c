/*
 * Unloading libnameauth from a thread that lives on: a program that loads a copy of the
 * library with dlopen, verifies once against the sandbox (tools/with_sandbox.py sets
 * NAMEAUTH_*), frees everything, calls nameauth_release_pools and dlclose must find the
 * copy gone from /proc/self/maps, while this (main) thread is still running. A
 * thread-local destructor of the library's left on this thread (as std::thread::spawn
 * leaves one on the thread that calls it) keeps the copy mapped for good: a JVM whose
 * request threads outlive its web applications kept one copy per redeploy. Three
 * copies in turn: none may stay. (A thread that gets an error keeps its last error, a
 * thread-local with a destructor, and so the library, until it ends: docs/c-api.md.)
 *
 * Built by mk/c.mk with LIBNAMEAUTH, the path of the release libnameauth.so; this
 * program is not linked against it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LIBNAMEAUTH
#error "LIBNAMEAUTH: the path of libnameauth.so"
#endif

typedef int (*client_new_from_env_fn)(void **out);
typedef int (*verify_fn)(const void *client, const char *openid, const char *truename,
                         const char *creid, const char *cretype, void **out);
typedef const char *(*verdict_code_fn)(const void *verdict);
typedef void (*free_fn)(void *handle);
typedef void (*release_pools_fn)(void);
typedef size_t (*last_error_fn)(char *buf, size_t buf_len);

/* dlsym's answer as a function pointer, the way POSIX allows it (ISO C does not cast). */
#define LOAD(lib, var, name) (*(void **)(&(var)) = dlsym((lib), (name)))

static int failures = 0;

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "FAIL: %s\n", what);
    failures++;
  }
}

/* Lines of /proc/self/maps that name `path`. */
static int mapped(const char *path) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096];
  int n = 0;
  if (f == NULL) return -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strstr(line, path) != NULL) n++;
  }
  fclose(f);
  return n;
}

/* Copies the library to a file of its own, as the JVM copies it for each class loader. */
static int copy_library(const char *to) {
  FILE *in = fopen(LIBNAMEAUTH, "rb");
  FILE *out = fopen(to, "wb");
  char buf[65536];
  size_t n;
  int ok = in != NULL && out != NULL;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
  if (in != NULL) fclose(in);
  if (out != NULL && fclose(out) != 0) ok = 0;
  return ok;
}

static void load_use_unload(int round) {
  char path[256];
  snprintf(path, sizeof path, "/tmp/nameauth-unload-%ld-%d.so", (long)getpid(), round);
  check(copy_library(path), "copy the library");
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  check(lib != NULL, "dlopen the copy");
  if (lib == NULL) {
    fprintf(stderr, "%s\n", dlerror());
    unlink(path);
    return;
  }
  client_new_from_env_fn client_new;
  verify_fn verify;
  verdict_code_fn code;
  free_fn verdict_free, client_free;
  release_pools_fn release_pools;
  last_error_fn last_error;
  LOAD(lib, client_new, "nameauth_client_new_from_env");
  LOAD(lib, verify, "nameauth_verify");
  LOAD(lib, code, "nameauth_verdict_code");
  LOAD(lib, verdict_free, "nameauth_verdict_free");
  LOAD(lib, client_free, "nameauth_client_free");
  LOAD(lib, release_pools, "nameauth_release_pools");
  LOAD(lib, last_error, "nameauth_last_error");
  void *client = NULL;
  void *verdict = NULL;
  check(client_new(&client) == 0, "a client from the environment");
  check(verify(client, "oZhangSan", "\xe5\xbc\xa0\xe4\xb8\x89", "110101199003074477", NULL,
               &verdict) == 0,
        "a verify");
  check(verdict != NULL && strcmp(code(verdict), "A") == 0, "verdict A");
  verdict_free(verdict);
  /* Asking for the last error on a thread that never failed leaves nothing behind either
     (a thread that failed keeps its last error, and with it the library, until it ends). */
  check(last_error(NULL, 0) == 0, "no last error on this thread");
  client_free(client);
  /* Stops the idle reaper (and waits for it): what JNI_OnUnload does too. */
  release_pools();
  check(mapped(path) > 0, "the copy is mapped while loaded");
  check(dlclose(lib) == 0, "dlclose");
  int left = mapped(path);
  if (left != 0) fprintf(stderr, "round %d: %d mappings of the copy left after dlclose\n", round, left);
  check(left == 0, "the copy is unmapped after dlclose, with this thread still running");
  unlink(path);
}

int main(void) {
  for (int round = 1; round <= 3; round++) load_use_unload(round);
  if (failures != 0) {
    fprintf(stderr, "unload: %d failure(s)\n", failures);
    return 1;
  }
  printf("unload: 3 copies loaded, used and unmapped\n");
  return 0;
}

/*
 * bench-peers, C: nameauth's C ABI against the client a shop writes by hand (a reused
 * libcurl easy handle, OpenSSL's MD5, the answer's fields found with strstr, the verdict
 * table as a switch). Run by tools/bench_peers.py, which starts the sandbox and reads the
 * JSON lines printed here.
 *
 *   peers steady CALLS ROUNDS   CPU per verify of each, in ROUNDS interleaved blocks
 *   peers first IMPL            one verify in this fresh process (IMPL: nameauth, curl)
 *   peers tls CALLS ROUNDS      as steady, against the HTTPS sandbox's oClose (the server
 *                               closes every connection: a new TLS connection per verify)
 *
 * CPU is this process's (getrusage: user + system, every thread).
 */
#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "nameauth.h"

static const char *endpoint, *appid, *src, *key, *ca_file;
static const char *openid = "oZhangSan";
static const char *truename = "\xe5\xbc\xa0\xe4\xb8\x89"; /* 张三 */
static const char *creid = "110101199003074477";

static double cpu_us(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

static double wall_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static const char *need(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "peers: %s is not set (run through tools/bench_peers.py)\n", name);
        exit(2);
    }
    return v;
}

/* ---- the hand-written peer ---- */

struct body {
    char data[4096];
    size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *userdata) {
    struct body *b = userdata;
    size_t k = size * n;
    if (b->len + k >= sizeof b->data) return 0;
    memcpy(b->data + b->len, p, k);
    b->len += k;
    b->data[b->len] = 0;
    return k;
}

/* The string value of "name" in a flat JSON object, or "" (what a hand parser does). */
static void field(const char *json, const char *name, char *out, size_t cap) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", name);
    const char *p = strstr(json, pat);
    out[0] = 0;
    if (!p) return;
    p += strlen(pat);
    if (*p == '"') p++;
    size_t i = 0;
    while (*p && *p != '"' && *p != ',' && *p != '}' && i + 1 < cap) out[i++] = *p++;
    out[i] = 0;
}

/* One verify: sign, encode, GET, parse, map. Returns the verdict code letter. */
static char curl_verify(CURL *h, const char *oid) {
    char text[1024], hex[33], url[2048];
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    /* Sorted by name, then the key. */
    int n = snprintf(text, sizeof text,
                     "appid=%s&creid=%s&cretype=1&openid=%s&src=%s&truename=%s&key=%s", appid,
                     creid, oid, src, truename, key);
    EVP_Digest(text, (size_t)n, md, &mdlen, EVP_md5(), NULL);
    for (unsigned i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", md[i]);
    char *name = curl_easy_escape(h, truename, 0);
    snprintf(url, sizeof url,
             "%s?appid=%s&creid=%s&cretype=1&openid=%s&sign=%s&src=%s&truename=%s&type=json",
             endpoint, appid, creid, oid, hex, src, name);
    curl_free(name);
    struct body b = {.len = 0};
    b.data[0] = 0;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    if (curl_easy_perform(h) != CURLE_OK) return '!';
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return '!';
    char ec[16], st[16], nm[16];
    field(b.data, "error_code", ec, sizeof ec);
    field(b.data, "nameauth_status", st, sizeof st);
    field(b.data, "notmatch_param", nm, sizeof nm);
    if (strcmp(ec, "0") != 0) return 'O';
    switch (st[0]) {
    case '1':
        if (!nm[0]) return 'A';
        if (!strcmp(nm, "1")) return 'B';
        if (!strcmp(nm, "2")) return 'C';
        return 'D';
    case '2': return 'E';
    case '3': case '4': case '5': return 'F';
    default: return 'O';
    }
}

static CURL *curl_handle(int tls) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (tls) curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
    return h;
}

/* ---- nameauth ---- */

static nameauth_client *nameauth_new(int tls) {
    nameauth_options *o = NULL;
    nameauth_options_new(&o);
    nameauth_options_set(o, "endpoint", endpoint);
    if (tls) nameauth_options_set(o, "ca_file", ca_file);
    nameauth_client *c = NULL;
    nameauth_result r = nameauth_client_new(appid, src, key, o, &c);
    nameauth_options_free(o);
    if (r != NAMEAUTH_OK) {
        char msg[512];
        nameauth_last_error(msg, sizeof msg);
        fprintf(stderr, "peers: %s\n", msg);
        exit(1);
    }
    return c;
}

static char nameauth_call(nameauth_client *c, const char *oid) {
    nameauth_verdict *v = NULL;
    if (nameauth_verify(c, oid, truename, creid, NULL, &v) != NAMEAUTH_OK) return '!';
    char code = nameauth_verdict_code(v)[0];
    nameauth_verdict_free(v);
    return code;
}

/* Interleaved blocks; prints one JSON line per implementation with its CPU per verify
 * in each block. */
static int steady(long calls, long rounds, int tls, const char *oid) {
    CURL *h = curl_handle(tls);
    nameauth_client *c = nameauth_new(tls);
    long block = calls / rounds;
    for (int i = 0; i < 200; i++) { /* warm both up: connections, caches */
        char theirs = curl_verify(h, oid), ours = nameauth_call(c, oid);
        if (theirs != 'A' || ours != 'A') {
            char msg[512] = "";
            if (ours != 'A') nameauth_last_error(msg, sizeof msg);
            fprintf(stderr, "peers: a warm-up verify gave %c (curl) and %c (nameauth) %s\n",
                    theirs, ours, msg);
            return 1;
        }
    }
    double *ours = calloc((size_t)rounds, sizeof(double));
    double *theirs = calloc((size_t)rounds, sizeof(double));
    for (long r = 0; r < rounds; r++) {
        for (int turn = 0; turn < 2; turn++) {
            int nameauth_now = (turn == 0) == (r % 2 == 0);
            double t0 = cpu_us();
            for (long i = 0; i < block; i++) {
                char code = nameauth_now ? nameauth_call(c, oid) : curl_verify(h, oid);
                if (code != 'A') {
                    fprintf(stderr, "peers: verify gave %c\n", code);
                    return 1;
                }
            }
            double per = (cpu_us() - t0) / (double)block;
            (nameauth_now ? ours : theirs)[r] = per;
        }
    }
    const char *names[2] = {"nameauth", "curl"};
    double *values[2] = {ours, theirs};
    for (int k = 0; k < 2; k++) {
        printf("{\"impl\":\"%s\",\"cpu_us\":[", names[k]);
        for (long r = 0; r < rounds; r++) printf("%s%.3f", r ? "," : "", values[k][r]);
        printf("]}\n");
    }
    nameauth_client_free(c);
    curl_easy_cleanup(h);
    free(ours);
    free(theirs);
    return 0;
}

int main(int argc, char **argv) {
    double start = wall_ms();
    if (argc < 3) {
        fprintf(stderr, "usage: peers steady CALLS ROUNDS | first IMPL | tls CALLS ROUNDS\n");
        return 2;
    }
    appid = need("NAMEAUTH_APPID");
    src = need("NAMEAUTH_SRC");
    key = need("NAMEAUTH_KEY");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = 0;
    if (!strcmp(argv[1], "first")) {
        endpoint = need("NAMEAUTH_ENDPOINT");
        char code;
        if (!strcmp(argv[2], "nameauth")) {
            nameauth_client *c = nameauth_new(0);
            code = nameauth_call(c, openid);
            printf("{\"impl\":\"nameauth\",\"first_ms\":%.3f}\n", wall_ms() - start);
            nameauth_client_free(c);
        } else {
            CURL *h = curl_handle(0);
            code = curl_verify(h, openid);
            printf("{\"impl\":\"curl\",\"first_ms\":%.3f}\n", wall_ms() - start);
            curl_easy_cleanup(h);
        }
        rc = code == 'A' ? 0 : 1;
    } else if (argc >= 4 && !strcmp(argv[1], "steady")) {
        endpoint = need("NAMEAUTH_ENDPOINT");
        rc = steady(atol(argv[2]), atol(argv[3]), 0, openid);
    } else if (argc >= 4 && !strcmp(argv[1], "tls")) {
        endpoint = need("NAMEAUTH_TEST_TLS_ENDPOINT");
        ca_file = need("NAMEAUTH_TEST_CA_FILE");
        rc = steady(atol(argv[2]), atol(argv[3]), 1, "oClose");
    } else {
        fprintf(stderr, "peers: unknown mode %s\n", argv[1]);
        rc = 2;
    }
    nameauth_release_pools();
    curl_global_cleanup();
    return rc;
}

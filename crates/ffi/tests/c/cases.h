/*
 * A small JSON reader, just enough for tests/conformance/cases.json (objects, arrays,
 * strings with escapes, integers, true/false/null), so the C tests read the same case
 * table as every other suite. Test code only: it exits on malformed input.
 */
#ifndef NAMEAUTH_TEST_CASES_H
#define NAMEAUTH_TEST_CASES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
  enum json_type type;
  long long number; /* JSON_NUMBER, JSON_BOOL */
  char *string;     /* JSON_STRING */
  size_t len;       /* items of an array or members of an object */
  struct json *items;
  char **keys; /* JSON_OBJECT */
};

struct json_reader {
  const char *p;
};

static void json_die(const char *what) {
  fprintf(stderr, "cases.json: %s\n", what);
  exit(2);
}

static void json_ws(struct json_reader *r) {
  while (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t') r->p++;
}

static void json_put_utf8(char **out, unsigned long c) {
  char *o = *out;
  if (c < 0x80) {
    *o++ = (char)c;
  } else if (c < 0x800) {
    *o++ = (char)(0xC0 | (c >> 6));
    *o++ = (char)(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *o++ = (char)(0xE0 | (c >> 12));
    *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
    *o++ = (char)(0x80 | (c & 0x3F));
  } else {
    *o++ = (char)(0xF0 | (c >> 18));
    *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
    *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
    *o++ = (char)(0x80 | (c & 0x3F));
  }
  *out = o;
}

static unsigned long json_hex4(struct json_reader *r) {
  unsigned long v = 0;
  int i;
  for (i = 0; i < 4; i++) {
    char c = *r->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned long)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned long)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned long)(c - 'A' + 10);
    else json_die("bad \\u escape");
  }
  return v;
}

static char *json_string(struct json_reader *r) {
  const char *end = r->p + 1;
  char *out, *o;
  while (*end && *end != '"') end += (*end == '\\' && end[1]) ? 2 : 1;
  /* Escapes never grow: the raw length bounds the decoded one. */
  out = o = (char *)malloc((size_t)(end - r->p) + 1);
  if (!out) json_die("out of memory");
  r->p++;
  while (*r->p != '"') {
    char c = *r->p++;
    if (c == '\0') json_die("unterminated string");
    if (c != '\\') {
      *o++ = c;
      continue;
    }
    c = *r->p++;
    switch (c) {
      case 'n': *o++ = '\n'; break;
      case 't': *o++ = '\t'; break;
      case 'r': *o++ = '\r'; break;
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'u': {
        unsigned long u = json_hex4(r);
        if (u >= 0xD800 && u < 0xDC00 && r->p[0] == '\\' && r->p[1] == 'u') {
          unsigned long lo;
          r->p += 2;
          lo = json_hex4(r);
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        }
        json_put_utf8(&o, u);
        break;
      }
      default: *o++ = c; break; /* \" \\ \/ */
    }
  }
  r->p++;
  *o = '\0';
  return out;
}

static void json_value(struct json_reader *r, struct json *v);

static void json_push(struct json *v, char *key, struct json_reader *r) {
  v->items = (struct json *)realloc(v->items, (v->len + 1) * sizeof *v->items);
  if (!v->items) json_die("out of memory");
  if (v->type == JSON_OBJECT) {
    v->keys = (char **)realloc(v->keys, (v->len + 1) * sizeof *v->keys);
    if (!v->keys) json_die("out of memory");
    v->keys[v->len] = key;
  }
  json_value(r, &v->items[v->len]);
  v->len++;
}

static void json_value(struct json_reader *r, struct json *v) {
  memset(v, 0, sizeof *v);
  json_ws(r);
  if (*r->p == '{' || *r->p == '[') {
    char close = *r->p == '{' ? '}' : ']';
    v->type = *r->p == '{' ? JSON_OBJECT : JSON_ARRAY;
    r->p++;
    json_ws(r);
    while (*r->p != close) {
      char *key = NULL;
      if (v->type == JSON_OBJECT) {
        if (*r->p != '"') json_die("expected a key");
        key = json_string(r);
        json_ws(r);
        if (*r->p++ != ':') json_die("expected ':'");
      }
      json_push(v, key, r);
      json_ws(r);
      if (*r->p == ',') {
        r->p++;
        json_ws(r);
      } else if (*r->p != close) {
        json_die("expected ',' or a close");
      }
    }
    r->p++;
  } else if (*r->p == '"') {
    v->type = JSON_STRING;
    v->string = json_string(r);
  } else if (strncmp(r->p, "null", 4) == 0) {
    v->type = JSON_NULL;
    r->p += 4;
  } else if (strncmp(r->p, "true", 4) == 0) {
    v->type = JSON_BOOL;
    v->number = 1;
    r->p += 4;
  } else if (strncmp(r->p, "false", 5) == 0) {
    v->type = JSON_BOOL;
    r->p += 5;
  } else {
    char *end;
    v->type = JSON_NUMBER;
    v->number = strtoll(r->p, &end, 10);
    if (end == r->p) json_die("unexpected character");
    r->p = end;
  }
}

/* The member `key` of object `v`, or NULL. */
static const struct json *json_get(const struct json *v, const char *key) {
  size_t i;
  if (v == NULL || v->type != JSON_OBJECT) return NULL;
  for (i = 0; i < v->len; i++) {
    if (strcmp(v->keys[i], key) == 0) return &v->items[i];
  }
  return NULL;
}

static const char *json_str(const struct json *v, const char *key) {
  const struct json *m = json_get(v, key);
  return m && m->type == JSON_STRING ? m->string : NULL;
}

static void json_free(struct json *v) {
  size_t i;
  for (i = 0; i < v->len; i++) {
    json_free(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->string);
}

/* Reads and parses the file at `path` into `root`. */
static void json_load(const char *path, struct json *root) {
  FILE *f = fopen(path, "rb");
  long n;
  char *text;
  struct json_reader r;
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = (char *)malloc((size_t)n + 1);
  if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) json_die("cannot read");
  text[n] = '\0';
  fclose(f);
  r.p = text;
  json_value(&r, root);
  free(text);
}

#endif

// verify: checks one user with nameauth and prints one JSON line (CONFORMANCE.md).
//
//   c++ -std=c++17 examples/cpp/verify.cpp -Iinclude -Ltarget/x86_64-unknown-linux-gnu/release -lnameauth -o verify
//   NAMEAUTH_APPID=... NAMEAUTH_SRC=... NAMEAUTH_KEY=... ./verify OPENID TRUENAME CREID [CRETYPE]
//
// Exit status 0 when the server answered (any verdict), 2 on any error. The handles are
// owned by std::unique_ptr, so every path frees them.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "nameauth.h"

namespace {

struct ClientFree {
  void operator()(nameauth_client *c) const { nameauth_client_free(c); }
};
struct VerdictFree {
  void operator()(nameauth_verdict *v) const { nameauth_verdict_free(v); }
};
using Client = std::unique_ptr<nameauth_client, ClientFree>;
using Verdict = std::unique_ptr<nameauth_verdict, VerdictFree>;

// A JSON string: UTF-8 as is, quotes, backslashes and controls escaped.
std::string json(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

int error(const std::string &kind, const std::string &message) {
  std::cout << "{\"error\":" << json(kind) << ",\"message\":" << json(message) << "}\n";
  return 2;
}

int last_error(nameauth_result r) {
  std::string message(nameauth_last_error(nullptr, 0), '\0');
  nameauth_last_error(message.data(), message.size() + 1);
  return error(nameauth_result_kind(r), message);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5) {
    return error("invalid_input", "usage: verify OPENID TRUENAME CREID [CRETYPE]");
  }
  nameauth_client *raw_client = nullptr;
  if (nameauth_result r = nameauth_client_new_from_env(&raw_client); r != NAMEAUTH_OK) {
    return last_error(r);
  }
  Client client(raw_client);

  nameauth_verdict *raw_verdict = nullptr;
  const char *cretype = argc == 5 ? argv[4] : nullptr;
  if (nameauth_result r =
          nameauth_verify(client.get(), argv[1], argv[2], argv[3], cretype, &raw_verdict);
      r != NAMEAUTH_OK) {
    return last_error(r);
  }
  Verdict v(raw_verdict);
  std::cout << "{\"code\":" << json(nameauth_verdict_code(v.get()))
            << ",\"reason\":" << json(nameauth_verdict_reason(v.get()))
            << ",\"error_code\":" << nameauth_verdict_error_code(v.get())
            << ",\"nameauth_status\":" << json(nameauth_verdict_nameauth_status(v.get()))
            << ",\"notmatch_param\":" << json(nameauth_verdict_notmatch_param(v.get()))
            << ",\"name_mask\":" << json(nameauth_verdict_name_mask(v.get())) << "}\n";
  return 0;
}

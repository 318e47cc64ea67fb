#include "runtime/sim/name_rules.h"

#include <fmt/format.h>

#include <algorithm>

namespace claw::sim {
namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

// validation.go RegexError: "<msg> (e.g. 'a',  or 'b', regex used for
// validation is '<re>')" (the examples joined by ",  or ").
std::string regex_error(std::string_view msg, std::string_view re, std::initializer_list<std::string_view> examples) {
  std::string out(msg);
  if (examples.size() > 0) {
    out += " (e.g. ";
    bool first = true;
    for (std::string_view e : examples) {
      if (!first) out += ",  or ";
      out += fmt::format("'{}'", e);
      first = false;
    }
    out += ", ";
  } else {
    out += " (";
  }
  return out + fmt::format("regex used for validation is '{}')", re);
}

std::string max_len_error(std::size_t n) { return fmt::format("must be no more than {} characters", n); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool is_label(std::string_view s) {
  return !s.empty() && lower_alnum(s.front()) && lower_alnum(s.back()) &&
         std::ranges::all_of(s, [](char c) { return lower_alnum(c) || c == '-'; });
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool is_qualified_part(std::string_view s) {
  return !s.empty() && alnum(s.front()) && alnum(s.back()) &&
         std::ranges::all_of(s, [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool is_subdomain(std::string_view s) {
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    if (!is_label(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

constexpr std::string_view kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
constexpr std::string_view kLabelRe = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
constexpr std::string_view kSubdomainRe = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kQualifiedMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
constexpr std::string_view kQualifiedRe = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

}  // namespace

Messages dns1123_label(std::string_view value) {
  Messages out;
  if (value.size() > 63) out.push_back(max_len_error(63));
  if (is_label(value)) return out;
  // Since 1.30 a valid subdomain that is no label is told it has dots.
  out.push_back(is_subdomain(value) ? "must not contain dots" : regex_error(kLabelMsg, kLabelRe, {"my-name", "123-abc"}));
  return out;
}

Messages dns1123_subdomain(std::string_view value) {
  Messages out;
  if (value.size() > 253) out.push_back(max_len_error(253));
  if (!is_subdomain(value)) out.push_back(regex_error(kSubdomainMsg, kSubdomainRe, {"example.com"}));
  return out;
}

Messages dns1035_label(std::string_view value) {
  Messages out;
  if (value.size() > 63) out.push_back(max_len_error(63));
  bool ok = is_label(value) && value.front() >= 'a' && value.front() <= 'z';
  if (!ok) {
    out.push_back(regex_error(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        "[a-z]([-a-z0-9]*[a-z0-9])?", {"my-name", "abc-123"}));
  }
  return out;
}

Messages path_segment_name(std::string_view value) {
  for (std::string_view bad : {".", ".."}) {
    if (value == bad) return {fmt::format("may not be '{}'", bad)};
  }
  Messages out;
  for (std::string_view bad : {"/", "%"}) {
    if (value.find(bad) != std::string_view::npos) out.push_back(fmt::format("may not contain '{}'", bad));
  }
  return out;
}

Messages qualified_name(std::string_view value) {
  Messages out;
  std::string_view name = value;
  std::size_t slash = value.find('/');
  if (slash != std::string_view::npos) {
    if (value.find('/', slash + 1) != std::string_view::npos) {
      return {regex_error(fmt::format("a qualified name {}", kQualifiedMsg), kQualifiedRe, {"MyName", "my.name", "123-abc"}) +
              " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"};
    }
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      out.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& m : dns1123_subdomain(prefix)) out.push_back("prefix part " + m);
    }
  }
  if (name.empty()) {
    out.push_back("name part must be non-empty");
  } else if (name.size() > 63) {
    out.push_back("name part " + max_len_error(63));
  }
  if (!is_qualified_part(name)) {
    out.push_back(regex_error(fmt::format("name part {}", kQualifiedMsg), kQualifiedRe, {"MyName", "my.name", "123-abc"}));
  }
  return out;
}

Messages label_value(std::string_view value) {
  Messages out;
  if (value.size() > 63) out.push_back(max_len_error(63));
  if (!value.empty() && !is_qualified_part(value)) {
    out.push_back(regex_error(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                              "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", {"MyValue", "my_value", "12345"}));
  }
  return out;
}

Messages port_number(long long port) {
  if (port >= 1 && port <= 65535) return {};
  return {"must be between 1 and 65535, inclusive"};
}

Messages port_name(std::string_view value) {
  Messages out;
  if (value.size() > 15) out.push_back(max_len_error(15));
  if (!std::ranges::all_of(value, [](char c) { return lower_alnum(c) || c == '-'; })) {
    out.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  }
  if (!std::ranges::any_of(value, [](char c) { return c >= 'a' && c <= 'z'; })) {
    out.push_back("must contain at least one letter (a-z)");
  }
  if (value.find("--") != std::string_view::npos) {
    out.push_back("must not contain consecutive hyphens");
  }
  if (!value.empty() && (value.front() == '-' || value.back() == '-')) {
    out.push_back("must not begin or end with a hyphen");
  }
  return out;
}

Messages config_map_key(std::string_view value) {
  Messages out;
  if (value.size() > 253) out.push_back(max_len_error(253));
  bool ok = !value.empty() &&
            std::ranges::all_of(value, [](char c) { return alnum(c) || c == '-' || c == '.' || c == '_'; });
  if (!ok) {
    out.push_back(regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                              "[-._a-zA-Z0-9]+", {"key.name", "KEY_NAME", "key-name"}));
  }
  if (value == ".") {
    out.push_back("must not be '.'");
  } else if (value == "..") {
    out.push_back("must not be '..'");
  } else if (value.starts_with("..")) {
    out.push_back("must not start with '..'");
  }
  return out;
}

}  // namespace claw::sim

#include "compiler/k8s/names.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>

namespace claw::k8s {

namespace {

bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool lower_alnum(char c) { return lower(c) || digit(c); }
bool alnum(char c) { return lower(c) || upper(c) || digit(c); }

/// How a character that breaks a rule is named in a message: printable
/// ASCII in backticks, the rest by what it is (never written raw).
std::string char_text(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u == ' ') return "a space";
  if (u >= 0x80) return "a non-ASCII character";
  if (u < 0x20 || u == 0x7f) return "a control character";
  if (c == '`') return "a backtick";
  return fmt::format("`{}`", c);
}

std::string too_long(size_t size, size_t limit) {
  return fmt::format("it is {} characters long; the limit is {}", size, limit);
}

/// The first character of `s` that `ok` refuses, as "it contains ...", or
/// an empty string.
template <class Ok>
std::string bad_char(std::string_view s, Ok ok, std::string_view subject = "it") {
  for (char c : s)
    if (!ok(c)) {
      if (upper(c) && std::string_view(subject) == "it") return "it contains upper-case letters";
      return fmt::format("{} contains {}", subject, char_text(c));
    }
  return "";
}

// ---- the DNS rules

std::string dns1123_label(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > kDns1123LabelMax) return too_long(s.size(), kDns1123LabelMax);
  if (auto p = bad_char(s, [](char c) { return lower_alnum(c) || c == '-'; }); !p.empty()) return p;
  if (!lower_alnum(s.front())) return "it must start with a letter or digit";
  if (!lower_alnum(s.back())) return "it must end with a letter or digit";
  return "";
}

std::string dns1123_subdomain(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > kDns1123SubdomainMax) return too_long(s.size(), kDns1123SubdomainMax);
  if (auto p = bad_char(s, [](char c) { return lower_alnum(c) || c == '-' || c == '.'; }); !p.empty()) return p;
  for (size_t start = 0;;) {
    size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty()) return "it has an empty part between dots";
    if (!lower_alnum(part.front()) || !lower_alnum(part.back()))
      return fmt::format("its part `{}` must start and end with a letter or digit", part);
    if (dot == std::string_view::npos) return "";
    start = dot + 1;
  }
}

std::string dns1035_label(std::string_view s) {
  if (auto p = dns1123_label(s); !p.empty()) return p;
  if (!lower(s.front())) return "it must start with a letter";
  return "";
}

// ---- keys and values

/// qualifiedNameFmt: ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9].
std::string qualified_name_part(std::string_view s, std::string_view subject, size_t limit) {
  if (s.size() > limit) return fmt::format("{} is {} characters long; the limit is {}", subject, s.size(), limit);
  if (auto p = bad_char(s, [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; }, subject); !p.empty())
    return p;
  if (!s.empty() && (!alnum(s.front()) || !alnum(s.back())))
    return fmt::format("{} must start and end with a letter or digit", subject);
  return "";
}

std::string qualified_name(std::string_view s) {
  if (s.empty()) return "it is empty";
  size_t slash = s.find('/');
  std::string_view name = s;
  if (slash != std::string_view::npos) {
    if (s.find('/', slash + 1) != std::string_view::npos) return "it contains more than one `/`";
    std::string_view prefix = s.substr(0, slash);
    if (prefix.empty()) return "the prefix before `/` is empty";
    if (auto p = dns1123_subdomain(prefix); !p.empty())
      return fmt::format("its prefix `{}` is not a DNS subdomain: {}", prefix, p);
    name = s.substr(slash + 1);
  }
  if (name.empty()) return "the name part is empty";
  return qualified_name_part(name, "the name part", kQualifiedNameMax);
}

std::string label_value(std::string_view s) { return qualified_name_part(s, "it", kLabelValueMax); }

std::string env_var_name(std::string_view s) {
  if (s.empty()) return "it is empty";
  auto ok = [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; };
  for (char c : s)
    if (!ok(c)) return fmt::format("it contains {}", char_text(c));
  if (digit(s.front())) return "it must not start with a digit";
  return "";
}

std::string config_map_key(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > kDns1123SubdomainMax) return too_long(s.size(), kDns1123SubdomainMax);
  for (char c : s)
    if (!(alnum(c) || c == '-' || c == '_' || c == '.')) return fmt::format("it contains {}", char_text(c));
  if (s == "." || s == "..") return fmt::format("it must not be `{}`", s);
  if (s.starts_with("..")) return "it must not start with `..`";
  return "";
}

std::string port_name(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > kPortNameMax) return too_long(s.size(), kPortNameMax);
  if (auto p = bad_char(s, [](char c) { return lower_alnum(c) || c == '-'; }); !p.empty()) return p;
  bool letter = false;
  for (char c : s) letter = letter || lower(c);
  if (!letter) return "it has no letter";
  if (s.find("--") != std::string_view::npos) return "it contains `--`";
  if (s.front() == '-' || s.back() == '-') return "it must not start or end with `-`";
  return "";
}

// ---- Ingress

std::string ingress_host(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (is_ip_address(s)) return "it is an IP address, and an Ingress routes by DNS name";
  if (s.find('*') != std::string_view::npos) {
    if (!s.starts_with("*.")) return "a wildcard `*` may only be the whole first part, as in `*.example.com`";
    if (s.size() > kDns1123SubdomainMax) return too_long(s.size(), kDns1123SubdomainMax);
    if (auto p = dns1123_subdomain(s.substr(2)); !p.empty()) return fmt::format("after `*.`, {}", p);
    return "";
  }
  return dns1123_subdomain(s);
}

/// Control characters and spaces have no place in a URL path or a file
/// system path claw writes out.
std::string path_chars(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return fmt::format("it contains {}", char_text(c));
  }
  return "";
}

std::string ingress_path(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.front() != '/') return "it must start with `/`";
  if (auto p = path_chars(s); !p.empty()) return p;
  static constexpr std::array<std::string_view, 5> kSequences = {"//", "/./", "/../", "%2f", "%2F"};
  for (std::string_view seq : kSequences)
    if (s.find(seq) != std::string_view::npos) return fmt::format("it contains `{}`", seq);
  for (std::string_view suffix : {"/..", "/."})
    if (s.ends_with(suffix)) return fmt::format("it ends with `{}`", suffix);
  return "";
}

// ---- file system paths

std::string mount_path(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.front() != '/') return "it must be absolute (start with `/`)";
  if (s.find(':') != std::string_view::npos) return "it contains `:`";
  return path_chars(s);
}

std::string nfs_path(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.front() != '/') return "it must be absolute (start with `/`)";
  return path_chars(s);
}

// ---- types

std::string kind(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > kDns1035LabelMax) return too_long(s.size(), kDns1035LabelMax);
  for (char c : s)
    if (!(alnum(c) || c == '-')) return fmt::format("it contains {}", char_text(c));
  if (!upper(s.front()) && !lower(s.front())) return "it must start with a letter";
  if (!alnum(s.back())) return "it must end with a letter or digit";
  return "";
}

std::string api_version(std::string_view s) {
  if (s.empty()) return "it is empty";
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) {
    if (s == "v1") return "";
    return "without a group, the only version is `v1` (the core group)";
  }
  if (s.find('/', slash + 1) != std::string_view::npos) return "it contains more than one `/`";
  std::string_view group = s.substr(0, slash), version = s.substr(slash + 1);
  if (auto p = dns1123_subdomain(group); !p.empty())
    return fmt::format("its group `{}` is not a DNS subdomain: {}", group, p);
  if (auto p = dns1035_label(version); !p.empty())
    return fmt::format("its version `{}` is not a DNS-1035 label: {}", version, p);
  return "";
}

}  // namespace

const Rule kDns1123Label{
    "Kubernetes name",
    "names are lower-case letters, digits and `-`, at most 63 characters, starting and ending with a letter or digit",
    dns1123_label};
const Rule kDns1123Subdomain{
    "DNS subdomain",
    "lower-case letters, digits, `-` and `.`, at most 253 characters, each part between dots starting and ending with "
    "a letter or digit",
    dns1123_subdomain};
const Rule kDns1035Label{
    "DNS-1035 label",
    "lower-case letters, digits and `-`, at most 63 characters, starting with a letter and ending with a letter or digit",
    dns1035_label};
const Rule kQualifiedName{
    "key",
    "a key is an optional DNS subdomain and `/`, then at most 63 letters, digits, `-`, `_` and `.`, starting and "
    "ending with a letter or digit (e.g. `example.com/tier`)",
    qualified_name};
const Rule kLabelValue{
    "label value",
    "a label value is empty or at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit",
    label_value};
const Rule kEnvVarName{
    "environment variable name",
    "an environment variable name is letters, digits, `_`, `-` and `.`, not starting with a digit (e.g. `LOG_LEVEL`)",
    env_var_name};
const Rule kConfigMapKey{
    "key",
    "keys are letters, digits, `-`, `_` and `.`, at most 253 characters, neither `.` nor `..` nor starting with `..` "
    "(e.g. `app.conf`)",
    config_map_key};
const Rule kPortName{
    "port name",
    "a port name is an IANA service name: at most 15 lower-case letters, digits and `-`, at least one letter, no `--`, "
    "not starting or ending with `-` (e.g. `http`, `metrics-2`)",
    port_name};
const Rule kIngressHost{
    "ingress host",
    "an ingress host is a DNS name such as `app.example.com` (lower-case letters, digits, `-` and `.`), or one after "
    "`*.`; not an IP address",
    ingress_host};
const Rule kIngressPath{
    "ingress path",
    "an ingress path is absolute, such as `/api`, without `//`, `/./`, `/../` or `%2f`, and does not end in `/.` or "
    "`/..`",
    ingress_path};
const Rule kMountPath{
    "mount path",
    "a mount path is an absolute path in the container, such as `/data`, without `:`",
    mount_path};
const Rule kNfsPath{
    "NFS export path",
    "the export's absolute path on the NFS server, such as `/volume1/media`",
    nfs_path};
const Rule kKind{
    "kind",
    "a kind is letters, digits and `-`, at most 63 characters, starting with a letter (e.g. `ServiceMonitor`)",
    kind};
const Rule kApiVersion{
    "apiVersion",
    "an apiVersion is `v1` (the core group) or `group/version`, e.g. `monitoring.coreos.com/v1`",
    api_version};

bool is_ip_address(std::string_view s) {
  if (s.empty() || s.size() > 45) return false;  // INET6_ADDRSTRLEN - 1
  std::string text(s);  // inet_pton needs a terminated string; it refuses zones and leading zeros
  std::array<unsigned char, 16> buf{};
  return inet_pton(AF_INET, text.c_str(), buf.data()) == 1 || inet_pton(AF_INET6, text.c_str(), buf.data()) == 1;
}

std::string annotations_size_problem(size_t bytes) {
  if (bytes <= kAnnotationsMaxBytes) return "";
  return fmt::format("its annotations take {} bytes; the limit is {} (256 KiB)", bytes, kAnnotationsMaxBytes);
}

}  // namespace claw::k8s

#include "compiler/k8s/k3s.h"

#include <fmt/format.h>

namespace claw::k8s {

namespace {

constexpr size_t kIfNameMax = 15;  // IFNAMSIZ - 1

std::string node_ip(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (!is_ip_address(s)) return "it is not an IP address";
  return "";
}

std::string host_address(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (is_ip_address(s)) return "";
  if (auto p = kDns1123Subdomain.problem(s); !p.empty()) return fmt::format("it is neither an IP address nor a host name: {}", p);
  return "";
}

std::string interface_name(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > kIfNameMax) return fmt::format("it is {} bytes long; the limit is {}", s.size(), kIfNameMax);
  if (s == "." || s == "..") return fmt::format("it must not be `{}`", s);
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == ':') return fmt::format("it contains `{}`", c);
    if (u == ' ') return "it contains a space";
    if (u < 0x20 || u == 0x7f) return "it contains a control character";
  }
  return "";
}

/// Reads one or more digits at s[i...]; false when there are none.
bool digits(std::string_view s, size_t& i) {
  size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > start && i - start <= 9;
}

bool literal(std::string_view s, size_t& i, std::string_view word) {
  if (s.substr(i, word.size()) != word) return false;
  i += word.size();
  return true;
}

std::string k3s_version(std::string_view s) {
  if (s.empty()) return "it is empty";
  size_t i = 0;
  bool ok = literal(s, i, "v") && digits(s, i) && literal(s, i, ".") && digits(s, i) && literal(s, i, ".") && digits(s, i);
  if (ok && i < s.size() && s[i] == '-') ok = literal(s, i, "-rc") && digits(s, i);
  ok = ok && literal(s, i, "+k3s") && digits(s, i) && i == s.size();
  if (!ok) return "it is not a k3s release such as `v1.31.4+k3s1`";
  return "";
}

bool control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

std::string k3s_arg(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (!s.starts_with("--")) return "it does not start with `--`";
  std::string_view name = s.substr(2, s.find('=') == std::string_view::npos ? std::string_view::npos : s.find('=') - 2);
  if (name.empty()) return "it has no flag name";
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return fmt::format("its flag name `{}` holds `{}`", name, c);
  for (char c : s)
    if (control(c)) return "it contains a control character";
  if (auto owner = k3s_flag_owner(name); !owner.empty())
    return fmt::format("`--{}` comes from {}", name, owner);
  return "";
}

std::string k3s_data_dir(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s[0] != '/') return "it is not an absolute path";
  for (char c : s) {
    if (control(c)) return "it contains a control character";
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' ||
                 c == '_' || c == '-';
    if (!plain) return fmt::format("it contains `{}`", c);
  }
  if (s == "/..") return "it has a `..` component";
  if (s.find("/../") != std::string_view::npos || s.ends_with("/..")) return "it has a `..` component";
  return "";
}

}  // namespace

std::string_view k3s_flag_owner(std::string_view flag) {
  struct Owned {
    std::string_view flag, owner;
  };
  static constexpr Owned kOwned[] = {
      {"node-label", "the machine's and its roles' `label`"},
      {"node-taint", "the machine's and its roles' `taint`"},
      {"node-name", "the machine's name"},
      {"node-ip", "the machine's `address`"},
      {"flannel-iface", "the cluster's `network`"},
      {"server", "the cluster's `server`"},
      {"token", "the join token, read when the script runs"},
      {"token-file", "the join token, read when the script runs"},
      {"disable", "the cluster's `disable`"},
      {"data-dir", "the cluster's `data-dir`"},
      {"cluster-domain", "claw: cross-references name services under `cluster.local`"},
  };
  for (const auto& o : kOwned)
    if (o.flag == flag) return o.owner;
  return {};
}

const Rule kNodeIp{"node address",
                   "k3s takes a node's address as its --node-ip: an IPv4 or IPv6 address such as `100.64.0.1`",
                   node_ip};
const Rule kHostAddress{"address", "an IP address such as `192.168.1.10`, or a host name such as `nas.lan`",
                        host_address};
const Rule kInterfaceName{"network interface name",
                          "a Linux interface name: 1 to 15 bytes without `/`, `:` or spaces, e.g. `tailscale0`",
                          interface_name};
const Rule kK3sVersion{"k3s version",
                       "k3s versions are written `v<major>.<minor>.<patch>+k3s<n>`, e.g. `v1.31.4+k3s1` (or "
                       "`v1.32.0-rc1+k3s1`)",
                       k3s_version};

const Rule kK3sArg{"k3s flag",
                   "an extra k3s flag is written `--flag` or `--flag=value`, e.g. `--kubelet-arg=max-pods=200`; "
                   "node names, addresses, labels, taints, the server, the token, `--disable` and `--data-dir` come "
                   "from the program",
                   k3s_arg};
const Rule kK3sDataDir{"k3s data directory",
                       "an absolute path of letters, digits, `.`, `_`, `-` and `/`, such as `/mnt/ssd/k3s`",
                       k3s_data_dir};

}  // namespace claw::k8s

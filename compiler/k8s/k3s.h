// The rules for the machine and cluster settings claw hands to k3s in a
// join script: k3s (or the kernel under it) would misread anything else.
#pragma once

#include "compiler/k8s/names.h"

namespace claw::k8s {

/// A node's address as k3s's `--node-ip` takes it: an IPv4 or IPv6 address.
extern const Rule kNodeIp;
/// The address of a machine outside the cluster (an NFS server): an IP
/// address, or a host name that is a DNS-1123 subdomain.
extern const Rule kHostAddress;
/// A Linux network interface name (the kernel's dev_valid_name), for
/// `--flannel-iface`: 1 to 15 bytes, not `.` or `..`, without `/`, `:`,
/// whitespace or other control characters.
extern const Rule kInterfaceName;
/// A k3s release as its install script takes INSTALL_K3S_VERSION:
/// `v<major>.<minor>.<patch>[-rc<n>]+k3s<n>`, e.g. `v1.31.4+k3s1`.
extern const Rule kK3sVersion;

/// An extra k3s flag as claw passes it on k3s's command line: `--flag` or
/// `--flag=value`, the flag's name lower-case letters, digits and `-`, the
/// value without control characters. Flags claw sets from the program
/// itself are refused (k3s_flag_owner names the field that sets them).
extern const Rule kK3sArg;
/// k3s's data directory (`--data-dir`): an absolute path of letters,
/// digits, `.`, `_`, `-` and `/`, without a `..` component (the join script
/// writes it into shell text as it is).
extern const Rule kK3sDataDir;

/// The program's field that sets k3s flag `flag` (written without its
/// leading `--` and value), or empty when claw leaves the flag to the user.
std::string_view k3s_flag_owner(std::string_view flag);

/// k3s's ingress controller, the class an ingress gets by default.
inline constexpr std::string_view kK3sDefaultIngressClass = "traefik";

}  // namespace claw::k8s

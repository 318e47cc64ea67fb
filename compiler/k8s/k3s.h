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

}  // namespace claw::k8s

#pragma once
// The k3s release the sim stands in for, as its nodes report it.

namespace claw::sim {

// The release infra/cluster.claw pins; kubelets report it as their version.
inline constexpr const char* kK3sVersion = "v1.31.4+k3s1";
// The containerd that k3s 1.31 embeds before containerd 2.0, as nodes report
// it (`kubectl get node -o wide` of v1.31.5+k3s1 in k3s-io/k3s issue #11746).
inline constexpr const char* kContainerRuntimeVersion = "containerd://1.7.23-k3s2";

}  // namespace claw::sim

#include "compiler/placement/previous.h"

namespace claw::placement {

const Where* Previous::find(const std::string& key, int replica) const {
  auto w = workloads.find(key);
  if (w == workloads.end()) return nullptr;
  auto r = w->second.find(replica);
  return r == w->second.end() ? nullptr : &r->second;
}

std::string workload_key(const sema::Workload& w) { return w.namespace_ + "/" + w.name; }

const sema::Volume* local_volume(const sema::Workload& w) {
  for (const auto& v : w.volumes) {
    switch (v.kind) {
      // k3s ships local-path-provisioner as its default StorageClass: a claim
      // that names no class gets a folder on the node the pod first ran on,
      // and the volume is bound to that node
      // (https://docs.k3s.io/storage#setting-up-the-local-storage-provider).
      case sema::VolumeKind::PerReplica:
      case sema::VolumeKind::Shared:
        if (v.storage_class.empty() || v.storage_class == "local-path") return &v;
        break;
      // A hostPath is a folder of whichever node the pod runs on
      // (https://kubernetes.io/docs/concepts/storage/volumes/#hostpath).
      case sema::VolumeKind::HostPath: return &v;
      default: break;
    }
  }
  return nullptr;
}

}  // namespace claw::placement

#include "compiler/emit/pod_volumes.h"

#include "compiler/emit/values.h"
#include "compiler/emit/yaml_writer.h"
#include "compiler/sema/object_names.h"

namespace claw::emit {

using sema::VolumeKind;

bool is_pod_volume(const sema::Workload&, const sema::Volume& v, bool stateful) {
  return !(stateful && v.kind == VolumeKind::PerReplica);
}

bool has_own_claim(const sema::Volume& v, bool stateful) {
  return v.size_bytes && (v.kind == VolumeKind::Shared || (v.kind == VolumeKind::PerReplica && !stateful));
}

namespace {

template <class Y>
void claim(Y& y, std::string_view name, bool read_only) {
  y.begin_map("persistentVolumeClaim");
  y.str("claimName", name);
  if (read_only) y.boolean("readOnly", true);
  y.end_map();
}

/// A Secret's or ConfigMap's files: the mode and the chosen keys.
template <class Y>
void files(Y& y, const sema::Volume& v) {
  if (v.mode) y.num("defaultMode", *v.mode);
  if (!v.items.empty()) {
    y.begin_seq("items");
    for (const auto& [key, path] : v.items) {
      y.begin_map();
      y.str("key", key);
      y.str("path", path);
      y.end_map();
    }
    y.end_seq();
  }
}

}  // namespace

template <class Y>
void pod_volume(Y& y, const sema::Model& model, const sema::Workload& w, const sema::Volume& v) {
  y.begin_map();
  switch (v.kind) {
    case VolumeKind::PerReplica:
    case VolumeKind::Shared:
      y.str("name", v.name);
      claim(y, sema::claim_name(w.name, v.name), false);
      break;
    case VolumeKind::Claim:
      y.str("name", v.name);
      claim(y, v.source, false);
      break;
    case VolumeKind::HostPath:
      y.begin_map("hostPath");
      y.str("path", v.source);
      if (v.host_type) y.str("type", sema::host_path_type_name(*v.host_type));
      y.end_map();
      y.str("name", v.name);
      break;
    case VolumeKind::Temp:
      y.begin_map("emptyDir");
      if (v.memory) y.str("medium", "Memory");
      if (v.limit_bytes) y.str("sizeLimit", kube_bytes(*v.limit_bytes));
      y.end_map();
      y.str("name", v.name);
      break;
    case VolumeKind::Nfs:
      y.str("name", v.name);
      if (v.nfs_machine) {
        claim(y, sema::nfs_claim_name(model.machine(*v.nfs_machine).name, v.nfs_export.value_or("")), v.read_only);
      } else {
        y.begin_map("nfs");
        y.str("path", v.nfs_path);
        if (v.read_only) y.boolean("readOnly", true);
        y.str("server", v.source);
        y.end_map();
      }
      break;
    case VolumeKind::Secret:
      y.str("name", v.name);
      y.begin_map("secret");
      files(y, v);
      y.str("secretName", v.source);
      y.end_map();
      break;
    case VolumeKind::ConfigMap:
      y.begin_map("configMap");
      files(y, v);
      y.str("name", v.source);
      y.end_map();
      y.str("name", v.name);
      break;
  }
  y.end_map();
}

template <class Y>
void volume_mount(Y& y, const sema::Volume& v) {
  y.begin_map();
  y.str("mountPath", v.mount_path);
  y.str("name", v.name);
  if (v.read_only) y.boolean("readOnly", true);
  if (v.key) y.str("subPath", *v.key);
  else if (v.sub_path) y.str("subPath", *v.sub_path);
  y.end_map();
}

// The two writers the emitters write into.
template void pod_volume(Tree&, const sema::Model&, const sema::Workload&, const sema::Volume&);
template void volume_mount(Tree&, const sema::Volume&);
template void pod_volume(yaml::Writer&, const sema::Model&, const sema::Workload&, const sema::Volume&);
template void volume_mount(yaml::Writer&, const sema::Volume&);

}  // namespace claw::emit

// Secret, Namespace and PersistentVolume. Sources, kubernetes/kubernetes:
// pkg/apis/core/v1/defaults.go (SetDefaults_Secret, _Namespace,
// _NamespaceStatus, _PersistentVolume); pkg/apis/core/v1/conversion.go
// Convert_v1_Secret_To_core_Secret (stringData is written over data and never
// stored); pkg/registry/core/namespace/strategy.go (PrepareForCreate adds the
// "kubernetes" finalizer, PrepareForUpdate keeps the stored finalizers).
#include "runtime/sim/default_fields.h"
#include "runtime/sim/defaults_internal.h"

#include <algorithm>
#include <string_view>

namespace claw::sim::defaults {
namespace {

std::string base64(std::string_view in) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    for (int shift : {18, 12, 6, 0}) out.push_back(table[(v >> shift) & 63]);
  }
  if (std::size_t rest = in.size() - i; rest > 0) {
    unsigned v = (unsigned char)in[i] << 16 | (rest == 2 ? (unsigned char)in[i + 1] << 8 : 0u);
    out.push_back(table[(v >> 18) & 63]);
    out.push_back(table[(v >> 12) & 63]);
    out.push_back(rest == 2 ? table[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

void secret(Json& obj) {
  set_default(obj, "type", "Opaque");
  Json* string_data = find(obj, "stringData");
  if (string_data == nullptr) return;
  if (string_data->is_object() && !string_data->empty()) {
    if (Json* data = object_member(obj, "data")) {
      for (auto it = string_data->begin(); it != string_data->end(); ++it) {
        if (it.value().is_string()) (*data)[it.key()] = base64(it.value().get<std::string>());
      }
    }
  }
  obj.erase("stringData");
}

void namespace_(Json& obj, const Json* old) {
  Json* meta = object_member(obj, "metadata");
  const Json* name = meta != nullptr ? find(*meta, "name") : nullptr;
  if (name != nullptr && name->is_string() && !name->get<std::string>().empty()) {
    if (Json* labels = object_member(*meta, "labels")) (*labels)["kubernetes.io/metadata.name"] = *name;
  }
  Json* spec = object_member(obj, "spec");
  if (spec == nullptr) return;
  if (old != nullptr) {
    const Json* old_spec = find(*old, "spec");
    const Json* kept = old_spec != nullptr ? find(*old_spec, "finalizers") : nullptr;
    if (kept != nullptr) (*spec)["finalizers"] = *kept;
    else spec->erase("finalizers");
  } else {
    Json& finalizers = (*spec)["finalizers"];
    if (finalizers.is_null()) finalizers = Json::array();
    if (finalizers.is_array() && std::find(finalizers.begin(), finalizers.end(), "kubernetes") == finalizers.end()) {
      finalizers.push_back("kubernetes");
    }
  }
  if (Json* status = object_member(obj, "status")) set_default(*status, "phase", "Active");
}

void persistent_volume(Json& obj) {
  if (Json* spec = find(obj, "spec"); spec != nullptr && spec->is_object()) {
    set_default(*spec, "persistentVolumeReclaimPolicy", "Retain");
    set_default(*spec, "volumeMode", "Filesystem");
  }
  if (Json* status = object_member(obj, "status")) set_default(*status, "phase", "Pending");
}

}  // namespace claw::sim::defaults

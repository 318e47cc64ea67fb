#include "runtime/sim/sim_state.h"

#include "runtime/sim/k3s_crds.h"
#include "runtime/sim/write.h"

namespace claw::sim {

std::optional<ObjectKey> key_of(const Registry& registry, const Json& object) {
  if (!object.is_object() || !object.contains("apiVersion") || !object.contains("kind")) return std::nullopt;
  std::string api_version = object.value("apiVersion", "");
  std::size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  const ResourceType* type = registry.find_kind(group, version, object.value("kind", ""));
  if (type == nullptr) return std::nullopt;
  const Json& meta = object.value("metadata", Json::object());
  return ObjectKey{type->group, type->plural, type->namespaced ? meta.value("namespace", "") : "",
                   meta.value("name", "")};
}

SimState::SimState(std::unique_ptr<StateFiles> files, const Clock& clock_in, SimOptions options_in)
    : registry(Registry::builtin()), store(std::move(files)), clock(clock_in), options(std::move(options_in)) {
  // CRDs first, so that the custom objects stored with them have a kind.
  store.load(
      [&](const Json& object) {
        if (object.value("kind", "") == "CustomResourceDefinition") registry.add_crd(object);
      },
      [&](const Json& object) { return key_of(registry, object); });
  bootstrap(*this);
}

}  // namespace claw::sim

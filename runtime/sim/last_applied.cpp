#include "runtime/sim/last_applied.h"

namespace claw::sim {
namespace {

constexpr const char* kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

// encoding/json: sorted keys, compact, HTML characters escaped
// (Encoder.SetEscapeHTML defaults to true), and the Encoder's newline.
std::string go_json(const Json& value) {
  std::string out;
  for (char c : value.dump()) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out + "\n";
}

bool has_last_applied(const Json& object) {
  const Json* meta = object.is_object() && object.contains("metadata") ? &object["metadata"] : nullptr;
  if (meta == nullptr || !meta->is_object() || !meta->contains("annotations")) return false;
  const Json& annotations = (*meta)["annotations"];
  if (!annotations.is_object() || !annotations.contains(kLastApplied)) return false;
  const Json& value = annotations[kLastApplied];
  return value.is_string() && !value.get_ref<const std::string&>().empty();
}

}  // namespace

void sync_last_applied(Json& object, const Json& config, const std::string& manager) {
  if (manager != "kubectl" || !has_last_applied(object)) return;
  // buildLastApplied: the configuration without the annotation itself.
  Json applied = config;
  if (auto m = applied.find("metadata"); m != applied.end() && m->is_object()) {
    if (auto a = m->find("annotations"); a != m->end() && a->is_object()) a->erase(kLastApplied);
  }
  object["metadata"]["annotations"][kLastApplied] = go_json(applied);
}

}  // namespace claw::sim

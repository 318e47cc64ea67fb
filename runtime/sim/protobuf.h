#pragma once
// Kubernetes protobuf request bodies (Content-Type application/vnd.kubernetes.protobuf),
// which kubectl's typed commands (create namespace/configmap/secret/deployment/...) send.

#include "runtime/sim/json_schema.h"
#include "runtime/sim/registry.h"

#include <expected>
#include <string>
#include <string_view>

namespace claw::sim {

// The media type of Kubernetes protobuf bodies.
inline constexpr std::string_view kProtobufMediaType = "application/vnd.kubernetes.protobuf";

// The object a Kubernetes protobuf body encodes ("k8s\0" + runtime.Unknown{typeMeta, raw}), as the
// JSON the API would have received, or a message for a 400.
std::expected<Json, std::string> decode_kubernetes_protobuf(std::string_view body, const Registry& registry);

}  // namespace claw::sim

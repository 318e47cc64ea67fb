#pragma once
// The fields of the Kubernetes 1.31 protobuf messages, generated at build time
// by runtime/sim/proto_compact.py from third_party/kubernetes/proto.

#include <cstdint>
#include <span>
#include <string_view>

namespace claw::sim::proto {

// What a field (or a map's value) holds on the wire.
enum class Wire : std::uint8_t { message, string, bytes, int32, int64, boolean };

// One field of one message, with the Go struct facts that decide its JSON.
struct ProtoField {
  std::string_view message;       // "k8s.io.api.apps.v1.DeploymentSpec"
  std::uint32_t number;
  std::string_view json;          // JSON name; empty when the field is inlined
  Wire type;                      // of the value (a map's value for maps)
  std::string_view message_type;  // when type is message
  bool repeated;
  bool map;                       // map<string, type>: repeated {key = 1, value = 2}
  bool pointer;                   // a Go pointer: present means set, even when zero
  bool omitempty;                 // JSON leaves the zero value out
  bool inlined;                   // json:",inline": its fields merge into the parent
};

// Every field, sorted by (message, number).
std::span<const ProtoField> proto_fields();

// The field `number` of `message`, or nullptr when the table has none.
const ProtoField* find_proto_field(std::string_view message, std::uint32_t number);

// Whether the table knows `message`.
bool has_proto_message(std::string_view message);

}  // namespace claw::sim::proto

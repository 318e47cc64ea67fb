#include "runtime/sim/proto_table.h"

#include <algorithm>
#include <tuple>

namespace claw::sim::proto {

namespace {

bool before(const ProtoField& field, std::tuple<std::string_view, std::uint32_t> key) {
  return std::tie(field.message, field.number) < key;
}

}  // namespace

const ProtoField* find_proto_field(std::string_view message, std::uint32_t number) {
  auto fields = proto_fields();
  auto key = std::tuple{message, number};
  auto it = std::lower_bound(fields.begin(), fields.end(), key, before);
  if (it == fields.end() || it->message != message || it->number != number) return nullptr;
  return &*it;
}

bool has_proto_message(std::string_view message) {
  auto fields = proto_fields();
  auto it = std::lower_bound(fields.begin(), fields.end(), std::tuple{message, std::uint32_t{0}}, before);
  return it != fields.end() && it->message == message;
}

}  // namespace claw::sim::proto

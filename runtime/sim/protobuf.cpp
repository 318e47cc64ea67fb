#include "runtime/sim/protobuf.h"

#include "runtime/sim/proto_table.h"
#include "runtime/sim/proto_values.h"
#include "runtime/sim/proto_wire.h"

#include <fmt/format.h>

#include <optional>

// The body layout and the special messages follow k8s.io/apimachinery at v0.31:
// pkg/runtime/serializer/protobuf/protobuf.go (the "k8s\0" prefix and runtime.Unknown),
// pkg/apis/meta/v1/{time,micro_time,duration}_proto.go, pkg/api/resource/quantity_proto.go,
// pkg/util/intstr/intstr.go and pkg/runtime/types_proto.go.
namespace claw::sim {

namespace {

using proto::ProtoField;
using proto::Wire;
using proto::WireField;
using proto::WireReader;
using proto::WireType;
using Result = std::expected<Json, std::string>;

constexpr std::string_view kMagic{"k8s\0", 4};
constexpr int kMaxDepth = 100;
constexpr std::string_view kMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.";

std::unexpected<std::string> fail(std::string message) { return std::unexpected(std::move(message)); }

// The fields of a message, each with its last value (or every value of repeated ones).
template <typename Visit>
std::optional<std::string> for_each_field(std::string_view bytes, Visit visit) {
  WireReader reader(bytes);
  while (!reader.done()) {
    auto field = reader.next();
    if (!field) return field.error();
    if (auto error = visit(*field)) return error;
  }
  return std::nullopt;
}

// The int64 and int32 fields of meta.v1.Timestamp / Duration-like messages by number.
std::expected<std::pair<std::int64_t, std::int64_t>, std::string> two_ints(std::string_view bytes) {
  std::pair<std::int64_t, std::int64_t> values{0, 0};
  auto error = for_each_field(bytes, [&](const WireField& f) -> std::optional<std::string> {
    if (f.number > 2) return std::nullopt;
    if (f.type != WireType::varint) return fmt::format("proto: wrong wireType = {} for field {}", int(f.type), f.number);
    if (f.number == 1) values.first = static_cast<std::int64_t>(f.varint);
    else values.second = static_cast<std::int32_t>(f.varint);
    return std::nullopt;
  });
  if (error) return fail(*error);
  return values;
}

// meta.v1.Time (seconds; nanos are dropped like JSON) and MicroTime: empty is the zero time (null).
Result decode_time(std::string_view bytes, bool micro) {
  if (bytes.empty()) return Json(nullptr);
  auto ts = two_ints(bytes);
  if (!ts) return fail(ts.error());
  // MicroTime truncates nanos toward zero to microseconds.
  auto text = proto::rfc3339_utc(ts->first, micro ? ts->second / 1000 : 0, micro ? 6 : 0);
  if (!text) return fail("Time.MarshalJSON: year outside of range [0,9999]");
  return Json(*text);
}

// The single length-delimited field 1 of Quantity / RawExtension / FieldsV1.
std::expected<std::string, std::string> bytes_field_one(std::string_view bytes) {
  std::string value;
  auto error = for_each_field(bytes, [&](const WireField& f) -> std::optional<std::string> {
    if (f.number != 1) return std::nullopt;
    if (f.type != WireType::length_delimited) return fmt::format("proto: wrong wireType = {} for field 1", int(f.type));
    value = std::string(f.bytes);
    return std::nullopt;
  });
  if (error) return fail(*error);
  return value;
}

// IntOrString{type = 1, intVal = 2, strVal = 3}: an int or a string by its type.
Result decode_int_or_string(std::string_view bytes) {
  std::int64_t type = 0, int_value = 0;
  std::string str_value;
  auto error = for_each_field(bytes, [&](const WireField& f) -> std::optional<std::string> {
    if (f.number == 3 && f.type == WireType::length_delimited) str_value = proto::valid_utf8(f.bytes);
    else if ((f.number == 1 || f.number == 2) && f.type == WireType::varint)
      (f.number == 1 ? type : int_value) = static_cast<std::int32_t>(f.varint);
    else if (f.number <= 3) return fmt::format("proto: wrong wireType = {} for field {}", int(f.type), f.number);
    return std::nullopt;
  });
  if (error) return fail(*error);
  if (type == 1) return Json(str_value);
  return Json(int_value);
}

// The embedded JSON of RawExtension / FieldsV1 (null when empty).
Result decode_raw_json(std::string_view bytes) {
  auto raw = bytes_field_one(bytes);
  if (!raw) return fail(raw.error());
  if (raw->empty()) return Json(nullptr);
  auto parsed = Json::parse(*raw, nullptr, false);
  if (parsed.is_discarded()) return fail("embedded JSON of a RawExtension is not valid JSON");
  return parsed;
}

// The JSON of the messages apimachinery marshals by hand, or nullopt for ordinary messages.
std::optional<Result> decode_special(std::string_view message, std::string_view bytes) {
  if (message.starts_with(kMeta)) {
    auto name = message.substr(kMeta.size());
    if (name == "Time") return decode_time(bytes, false);
    if (name == "MicroTime") return decode_time(bytes, true);
    if (name == "Duration") {
      auto d = two_ints(bytes);
      if (!d) return fail(d.error());
      return Json(proto::go_duration_string(d->first));
    }
    if (name == "FieldsV1") return decode_raw_json(bytes);
  }
  if (message == "k8s.io.apimachinery.pkg.runtime.RawExtension") return decode_raw_json(bytes);
  if (message == "k8s.io.apimachinery.pkg.util.intstr.IntOrString") return decode_int_or_string(bytes);
  if (message == "k8s.io.apimachinery.pkg.api.resource.Quantity") {
    auto text = bytes_field_one(bytes);
    if (!text) return fail(text.error());
    // An empty Quantity is the zero quantity, which marshals as "0" (quantity.go).
    return Json(text->empty() ? std::string("0") : proto::valid_utf8(*text));
  }
  return std::nullopt;
}

Result decode_message(std::string_view bytes, std::string_view message, int depth);

// Whether the wire type can carry a single value of `type`.
bool value_fits(Wire type, WireType wire) {
  if (type == Wire::message || type == Wire::string || type == Wire::bytes) return wire == WireType::length_delimited;
  return wire == WireType::varint;
}

// Whether the wire type can carry the field (repeated numbers may also come packed).
bool wire_fits(const ProtoField& field, WireType wire) {
  if (field.map) return wire == WireType::length_delimited;
  return value_fits(field.type, wire) || (field.repeated && wire == WireType::length_delimited);
}

// A scalar (or message) value of type `type` from one wire field.
Result decode_value(const ProtoField& field, const WireField& wire, int depth) {
  switch (field.type) {
    case Wire::message: return decode_message(wire.bytes, field.message_type, depth + 1);
    case Wire::string: return Json(proto::valid_utf8(wire.bytes));
    case Wire::bytes: return Json(proto::base64_encode(wire.bytes));
    case Wire::int32: return Json(static_cast<std::int32_t>(wire.varint));
    case Wire::int64: return Json(static_cast<std::int64_t>(wire.varint));
    case Wire::boolean: return Json(wire.varint != 0);
  }
  return fail("unknown field type");
}

// One map entry {key = 1, value = 2}; a missing value is the type's zero value.
std::expected<std::pair<std::string, Json>, std::string> decode_map_entry(const ProtoField& field,
                                                                          std::string_view bytes, int depth) {
  std::string key;
  std::optional<Json> value;
  auto error = for_each_field(bytes, [&](const WireField& f) -> std::optional<std::string> {
    if (f.number == 1) {
      if (f.type != WireType::length_delimited) return std::string("proto: wrong wireType for map key");
      key = proto::valid_utf8(f.bytes);
    } else if (f.number == 2) {
      if (!value_fits(field.type, f.type)) return std::string("proto: wrong wireType for map value");
      auto decoded = decode_value(field, f, depth);
      if (!decoded) return decoded.error();
      value = std::move(*decoded);
    }
    return std::nullopt;
  });
  if (error) return fail(*error);
  if (!value) {
    WireField empty;
    auto zero = decode_value(field, empty, depth);
    if (!zero) return fail(zero.error());
    value = std::move(*zero);
  }
  return std::pair{std::move(key), std::move(*value)};
}

// Whether JSON would leave this value out: the zero value of a non-pointer omitempty
// scalar, a zero Time (null) or a zero IntOrString of a non-pointer field.
bool json_omits(const ProtoField& field, const Json& value) {
  if (field.pointer) return false;
  if (value.is_null()) return true;
  if (field.type == Wire::message)
    return field.message_type == "k8s.io.apimachinery.pkg.util.intstr.IntOrString" && value == Json(0);
  if (!field.omitempty) return false;
  if (value.is_string()) return value.get_ref<const std::string&>().empty();
  if (value.is_boolean()) return !value.get<bool>();
  return value.is_number() && value.get<std::int64_t>() == 0;
}

// Decodes one wire field of `message` into `object`.
std::optional<std::string> decode_field(Json& object, std::string_view message, const WireField& wire, int depth) {
  const auto* field = proto::find_proto_field(message, wire.number);
  if (field == nullptr) return std::nullopt;  // unknown fields are skipped
  if (!wire_fits(*field, wire.type))
    return fmt::format("proto: wrong wireType = {} for field {}", int(wire.type), field->json);
  if (field->map) {
    auto entry = decode_map_entry(*field, wire.bytes, depth);
    if (!entry) return entry.error();
    object[std::string(field->json)][entry->first] = std::move(entry->second);
    return std::nullopt;
  }
  if (field->repeated && field->type != Wire::message && wire.type == WireType::length_delimited &&
      field->type != Wire::string && field->type != Wire::bytes) {
    // Packed repeated numbers: varints back to back.
    WireReader packed(wire.bytes);
    auto& list = object[std::string(field->json)];
    while (!packed.done()) {
      auto number = packed.next_varint();
      if (!number) return number.error();
      WireField one{.number = wire.number, .type = WireType::varint, .varint = *number, .bytes = {}};
      auto value = decode_value(*field, one, depth);
      if (!value) return value.error();
      list.push_back(std::move(*value));
    }
    return std::nullopt;
  }
  auto value = decode_value(*field, wire, depth);
  if (!value) return value.error();
  if (field->inlined) {
    if (!value->is_object()) return fmt::format("inlined field {} is not an object", wire.number);
    for (auto& [key, inner] : value->items()) object[key] = std::move(inner);
    return std::nullopt;
  }
  auto name = std::string(field->json);
  if (field->repeated) object[name].push_back(std::move(*value));
  else if (json_omits(*field, *value)) object.erase(name);
  else object[name] = std::move(*value);
  return std::nullopt;
}

Result decode_message(std::string_view bytes, std::string_view message, int depth) {
  if (depth > kMaxDepth) return fail(fmt::format("protobuf message nested deeper than {} levels", kMaxDepth));
  if (auto special = decode_special(message, bytes)) return std::move(*special);
  Json object = Json::object();
  auto error = for_each_field(bytes, [&](const WireField& wire) { return decode_field(object, message, wire, depth); });
  if (error) return fail(*error);
  return object;
}

// The proto package of a built-in group ("apps" -> k8s.io.api.apps, "" -> core,
// "rbac.authorization.k8s.io" -> rbac): the first label of the group name.
std::string proto_message_name(std::string_view group, std::string_view version, std::string_view kind) {
  auto package = group.empty() ? std::string_view("core") : group.substr(0, group.find('.'));
  return fmt::format("k8s.io.api.{}.{}.{}", package, version, kind);
}

// Whether the sim serves `kind` as a built-in resource or as the body of a built-in subresource
// (policy/v1 Eviction for pods/eviction, authentication.k8s.io/v1 TokenRequest for serviceaccounts/token).
bool serves_builtin_kind(const Registry& registry, std::string_view group, std::string_view version,
                         std::string_view kind) {
  if (const auto* type = registry.find_kind(group, version, kind)) return !type->custom;
  for (const auto& api_group : registry.groups())
    for (const auto& served : api_group.versions)
      for (const auto* type : registry.in_group_version(api_group.name, served))
        for (const auto& sub : type->subresources) {
          auto sub_group = sub.version.empty() ? std::string_view(type->group) : std::string_view(sub.group);
          auto sub_version = sub.version.empty() ? std::string_view(type->version) : std::string_view(sub.version);
          if (!type->custom && sub.kind == kind && sub_group == group && sub_version == version) return true;
        }
  return false;
}

struct Unknown {
  std::string api_version, kind;
  std::string_view raw;
};

// runtime.Unknown{typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4}.
std::expected<Unknown, std::string> decode_unknown(std::string_view bytes) {
  Unknown unknown;
  auto error = for_each_field(bytes, [&](const WireField& f) -> std::optional<std::string> {
    if (f.number > 2) return std::nullopt;
    if (f.type != WireType::length_delimited) return std::string("proto: wrong wireType in runtime.Unknown");
    if (f.number == 2) {
      unknown.raw = f.bytes;
      return std::nullopt;
    }
    return for_each_field(f.bytes, [&](const WireField& t) -> std::optional<std::string> {
      if (t.number > 2) return std::nullopt;
      if (t.type != WireType::length_delimited) return std::string("proto: wrong wireType in runtime.TypeMeta");
      (t.number == 1 ? unknown.api_version : unknown.kind) = std::string(t.bytes);
      return std::nullopt;
    });
  });
  if (error) return fail(*error);
  return unknown;
}

}  // namespace

std::expected<Json, std::string> decode_kubernetes_protobuf(std::string_view body, const Registry& registry) {
  if (!body.starts_with(kMagic)) return fail("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
  auto unknown = decode_unknown(body.substr(kMagic.size()));
  if (!unknown) return fail(unknown.error());
  if (unknown->kind.empty()) return fail("Object 'Kind' is missing in protobuf body");
  auto slash = unknown->api_version.find('/');
  auto group = slash == std::string::npos ? std::string() : unknown->api_version.substr(0, slash);
  auto version = slash == std::string::npos ? unknown->api_version : unknown->api_version.substr(slash + 1);
  auto message = proto_message_name(group, version, unknown->kind);
  if (!serves_builtin_kind(registry, group, version, unknown->kind) || !proto::has_proto_message(message))
    return fail(fmt::format("no kind \"{}\" is registered for version \"{}\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"",
                            unknown->kind, unknown->api_version));
  auto object = decode_message(unknown->raw, message, 0);
  if (!object) return fail(object.error());
  object->erase("apiVersion");
  object->erase("kind");
  Json result = {{"apiVersion", unknown->api_version}, {"kind", unknown->kind}};
  result.update(*object);
  return result;
}

}  // namespace claw::sim

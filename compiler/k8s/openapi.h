// The official Kubernetes API schema (OpenAPI v2, third_party/kubernetes/),
// in the compact form the build makes of it (openapi_compact.py) and ships
// next to claw as stdlib/k8s/openapi.json: the core kinds' fields and
// types, which the checker holds `resource` bodies of core kinds and
// workload patches to. Read on first use only: a program that needs none
// of it does not pay for it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace claw::k8s {

struct SchemaDef;

/// The type of one field of the schema.
struct SchemaType {
  enum class Kind : uint8_t { String, Integer, Number, Boolean, IntOrString, Quantity, Any, Object, Map, List };
  Kind kind = Kind::Any;
  const SchemaDef* def = nullptr;    // Object: its fields
  const SchemaType* elem = nullptr;  // Map: the values' type; List: the items'
  std::string merge_key;             // List: the key items merge by in a patch, if any
};

/// An object type: its fields by name, and which of them it requires.
struct SchemaDef {
  std::string name;  // e.g. io.k8s.api.core.v1.ConfigMap
  std::map<std::string, SchemaType, std::less<>> fields;
  std::vector<std::string> required;
  /// The field `name`, or nullptr.
  const SchemaType* field(std::string_view field_name) const;
  /// The short name a person knows the type by: `ConfigMap`, `PodSpec`.
  std::string_view short_name() const;
};

/// A kind the API serves: apiVersion and kind, its type, and whether its
/// objects live in a namespace.
struct SchemaKind {
  std::string api_version, kind;
  const SchemaDef* def = nullptr;
  bool namespaced = true;
};

/// The loaded schema. Immutable once loaded; shared by every thread.
class OpenApi {
 public:
  /// The schema at `path`, read once per process and kept; nullptr, with
  /// the reason in `error`, when it cannot be read.
  static const OpenApi* load(const std::string& path, std::string& error);
  /// Parses the compact form's text (for load, and for tests).
  static std::unique_ptr<OpenApi> parse(std::string_view text, std::string& error);

  /// The kind `kind` of `api_version` (`v1`, `apps/v1`), or nullptr.
  const SchemaKind* kind(std::string_view api_version, std::string_view kind) const;
  /// The kind named `kind` in its newest stable version (no alpha or
  /// beta), in whatever group serves it, or nullptr.
  const SchemaKind* stable_kind(std::string_view kind) const;
  /// Whether some kind of `api_version` is in the schema.
  bool serves(std::string_view api_version) const;
  /// The type named `name` (io.k8s.api.core.v1.PodSpec), or nullptr.
  const SchemaDef* def(std::string_view name) const;
  size_t kind_count() const { return kinds_.size(); }

 private:
  std::vector<SchemaKind> kinds_;
  std::unordered_map<std::string, SchemaDef> defs_;
  std::deque<SchemaType> elems_;  // the element types maps and lists point to
};

/// Where the compact schema lives in a stdlib folder.
std::string openapi_path(std::string_view stdlib_dir);

/// Whether an apiVersion may name a kind of the official schema: the core
/// group (`v1`), a group without a dot (`apps/v1`), or one of *.k8s.io.
/// Custom resources' groups are neither, so they never load the schema.
bool may_be_core_api(std::string_view api_version);

}  // namespace claw::k8s

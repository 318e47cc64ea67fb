#pragma once
// Checks every write request gets before its body is used: the dryRun and
// fieldValidation options, the body's kind and name against the URL, and
// unknown or mistyped fields against the schema.

#include "runtime/sim/field_validation.h"
#include "runtime/sim/handlers.h"
#include "runtime/sim/write.h"

#include <expected>

namespace claw::sim {

// The options of a write (dryRun, fieldValidation, fieldManager), or the 4xx.
struct WriteOptions {
  bool dry_run = false;
  FieldValidation validation = FieldValidation::Warn;
  std::string manager;
};
std::expected<WriteOptions, ApiError> write_options(const ApiRequest& request, std::string_view options_kind);

// The body as an object of the target's kind, named as the URL names it
// (`name` may be empty on create: the body's name or generateName is used).
// A protobuf body (kubectl's typed commands) is decoded with `registry`'s kinds.
std::expected<Json, ApiError> read_object_body(const Target& target, const ApiRequest& request, bool allow_yaml,
                                               const Registry& registry);
// A Kubernetes protobuf body of a built-in kind: decoded, and not checked
// for unknown fields (a protobuf decoder skips them).
bool is_protobuf_body(const Target& target, const ApiRequest& request);

// Unknown, duplicate and mistyped fields of `body` per `validation`: an
// error (Strict, or a type error), or warnings appended to `warnings`.
std::expected<void, ApiError> check_body_fields(const Target& target, std::string_view text,
                                                FieldValidation validation, bool apply,
                                                std::vector<std::string>& warnings);
// The same decision over problems found another way (a patch's fields).
std::expected<void, ApiError> field_policy(const ResourceType& type, const FieldProblems& problems,
                                           FieldValidation validation, bool apply,
                                           std::vector<std::string>& warnings);

// The response of a successful write, with its `Warning` header values.
ApiResponse written(const ResourceType& type, const WriteResult& result, std::vector<std::string> warnings);

}  // namespace claw::sim

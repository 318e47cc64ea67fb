#pragma once
// What a request body's JSON says beyond the object it decodes to: fields the
// kind's schema does not know, keys given twice, and values of the wrong JSON
// type. The server turns these into the `fieldValidation` outcome (Strict:
// 400, Warn: one warning per problem, Ignore: nothing) and into the decode
// errors of built-in kinds (400) or the type errors of CRDs (422).

#include "runtime/sim/status.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claw::sim {

struct ResourceType;

struct FieldProblems {
  std::vector<std::string> unknown;    // field paths: "spec.foo", "spec.containers[0].bar"
  std::vector<std::string> duplicate;  // field paths of keys given more than once
  // Both kinds, in document order: `unknown field "spec.foo"`, `duplicate field "x"`.
  std::vector<std::string> messages;
  // A built-in kind's decode error: `json: cannot unmarshal ...` (the first one).
  std::optional<std::string> type_error;
  // A CRD's schema type errors (422 causes, `FieldValueTypeInvalid`).
  std::vector<Cause> crd_type_errors;
  // The same duplicates as the YAML decoder of apply patches words them:
  // `line 10: key "paused" already set in map`.
  std::vector<std::string> yaml_duplicates;
  // The body is not JSON: the parser's message.
  std::optional<std::string> syntax_error;
};

// Walks a JSON request body against the kind's schema.
FieldProblems check_fields(const ResourceType& type, std::string_view body_json);

// The problems of a JSON merge or strategic merge patch: the duplicate keys
// of the patch body, then what decoding the patched object finds (its
// unknown fields come out sorted, as the server re-encodes a map).
FieldProblems check_patch_fields(const ResourceType& type, std::string_view patch_body, const Json& patched);

// The 400 message of a Strict request with problems: `strict decoding error:
// unknown field "spec.foo", duplicate field "x"`.
std::string strict_decoding_message(const FieldProblems& problems);

// The 400 message of a built-in kind's decode error: `Deployment in version
// "v1" cannot be handled as a Deployment: json: cannot unmarshal ...`.
std::string decode_error_message(const ResourceType& type, std::string_view error);

// The 400 message of a Strict apply patch whose body repeats keys:
// `error strict decoding YAML: error converting YAML to JSON: yaml:
// unmarshal errors:\n  line 10: key "paused" already set in map`.
std::string apply_strict_message(const FieldProblems& problems);

// One `Warning` header value per text: `299 - "unknown field \"spec.foo\""`.
std::vector<std::string> warning_headers(const std::vector<std::string>& texts);

// One `Warning` header value per problem of a Warn request:
// `299 - "unknown field \"spec.foo\""`.
std::vector<std::string> warning_headers(const FieldProblems& problems);

}  // namespace claw::sim

#include "runtime/sim/request_checks.h"

#include "runtime/sim/body.h"
#include "runtime/sim/field_validation.h"
#include "runtime/sim/protobuf.h"

#include <fmt/format.h>

namespace claw::sim {

std::expected<WriteOptions, ApiError> write_options(const ApiRequest& request, std::string_view options_kind) {
  WriteOptions o;
  if (auto d = request.param("dryRun")) {
    if (*d != "All") {
      return std::unexpected(invalid("meta.k8s.io", options_kind, "",
                                     {Cause{"FieldValueNotSupported",
                                            fmt::format("Unsupported value: \"{}\": supported values: \"All\"", *d),
                                            "dryRun"}}));
    }
    o.dry_run = true;
  }
  if (auto v = request.param("fieldValidation")) {
    if (*v == "Strict") {
      o.validation = FieldValidation::Strict;
    } else if (*v == "Ignore") {
      o.validation = FieldValidation::Ignore;
    } else if (*v == "Warn" || v->empty()) {
      o.validation = FieldValidation::Warn;
    } else {
      return std::unexpected(invalid(
          "meta.k8s.io", options_kind, "",
          {Cause{"FieldValueNotSupported",
                 fmt::format("Unsupported value: \"{}\": supported values: \"Ignore\", \"Strict\", \"Warn\"", *v),
                 "fieldValidation"}}));
    }
  }
  o.manager = manager_of(request);
  if (o.manager.size() > 128) {
    return std::unexpected(invalid("meta.k8s.io", options_kind, "",
                                   {Cause{"FieldValueTooLong", "Too long: may not be more than 128 bytes",
                                          "fieldManager"}}));
  }
  return o;
}

std::expected<Json, ApiError> read_object_body(const Target& target, const ApiRequest& request, bool allow_yaml,
                                               const Registry& registry) {
  const ResourceType& type = *target.type;
  std::string media = media_type(request.header("content-type"));
  bool protobuf = is_protobuf_body(target, request);
  if (!allow_yaml && !protobuf && !media.empty() && media != "application/json" && media != "application/yaml" &&
      media != "*/*") {
    // Kubernetes' protobuf and CBOR encodings are not spoken here.
    return std::unexpected(ApiError{415, "UnsupportedMediaType",
                                    fmt::format("the body of the request was in an unknown format - accepted media "
                                                "types include: application/json, application/yaml; got {}",
                                                media),
                                    Json::object()});
  }
  auto body = protobuf ? decode_kubernetes_protobuf(request.body, registry) : parse_body(request.body, allow_yaml);
  if (!body) {
    return std::unexpected(bad_request(fmt::format("couldn't get version/kind; {}", body.error())));
  }
  if (!body->is_object()) {
    return std::unexpected(bad_request(
        fmt::format("{} in version \"{}\" cannot be handled as a {}: the body is not an object", type.kind,
                    type.version, type.kind)));
  }
  Json& object = *body;
  std::string api_version = object.value("apiVersion", "");
  std::string kind = object.value("kind", "");
  if (!kind.empty() && kind != type.kind) {
    return std::unexpected(bad_request(fmt::format(
        "the object provided is unrecognized (must be of type {}): couldn't get version/kind; json parse error: "
        "kind {} does not match {}",
        type.kind, kind, type.kind)));
  }
  if (!api_version.empty() && api_version != type.api_version()) {
    return std::unexpected(bad_request(fmt::format(
        "the API version in the data ({}) does not match the expected API version ({})", api_version,
        type.api_version())));
  }
  if (!object.contains("metadata") || object["metadata"].is_null()) object["metadata"] = Json::object();
  Json& meta = object["metadata"];
  if (!meta.is_object()) {
    return std::unexpected(bad_request(fmt::format(
        "{} in version \"{}\" cannot be handled as a {}: json: cannot unmarshal {} into Go struct field {}.metadata of "
        "type v1.ObjectMeta",
        type.kind, type.version, type.kind, meta.type_name(), type.kind)));
  }
  for (const char* field : {"name", "namespace", "generateName", "resourceVersion", "uid"}) {
    if (meta.contains(field) && !meta[field].is_string() && !meta[field].is_null()) {
      return std::unexpected(bad_request(fmt::format(
          "{} in version \"{}\" cannot be handled as a {}: json: cannot unmarshal {} into Go struct field "
          "ObjectMeta.metadata.{} of type string",
          type.kind, type.version, type.kind, meta[field].type_name(), field)));
    }
    if (meta.contains(field) && meta[field].is_null()) meta.erase(field);
  }
  std::string body_ns = meta.value("namespace", "");
  if (type.namespaced && !body_ns.empty() && body_ns != target.ns) {
    return std::unexpected(bad_request(
        "the namespace of the provided object does not match the namespace sent on the request"));
  }
  std::string body_name = meta.value("name", "");
  if (!target.name.empty() && !body_name.empty() && body_name != target.name) {
    return std::unexpected(bad_request(
        fmt::format("the name of the object ({}) does not match the name on the URL ({})", body_name, target.name)));
  }
  if (!target.name.empty()) meta["name"] = target.name;
  return object;
}

bool is_protobuf_body(const Target& target, const ApiRequest& request) {
  return !target.type->custom && media_type(request.header("content-type")) == kProtobufMediaType;
}

std::expected<void, ApiError> check_body_fields(const Target& target, std::string_view text,
                                                FieldValidation validation, bool apply,
                                                std::vector<std::string>& warnings) {
  const ResourceType& type = *target.type;
  FieldProblems p = check_fields(type, text);
  if (p.syntax_error && !apply) return std::unexpected(bad_request(*p.syntax_error));
  if (p.type_error) return std::unexpected(bad_request(decode_error_message(type, *p.type_error)));
  if (!p.crd_type_errors.empty()) {
    Json body = Json::parse(text, nullptr, false);
    auto at = "/metadata/name"_json_pointer;
    std::string name = body.is_object() && body.contains(at) && body[at].is_string() ? body[at].get<std::string>() : "";
    return std::unexpected(invalid(type.group, type.kind, name, p.crd_type_errors));
  }
  return field_policy(type, p, validation, apply, warnings);
}

std::expected<void, ApiError> field_policy(const ResourceType& type, const FieldProblems& p,
                                           FieldValidation validation, bool apply,
                                           std::vector<std::string>& warnings) {
  if (p.type_error) return std::unexpected(bad_request(decode_error_message(type, *p.type_error)));
  if (validation == FieldValidation::Ignore) return {};
  if (apply) {
    if (p.yaml_duplicates.empty()) return {};
    if (validation == FieldValidation::Strict) return std::unexpected(bad_request(apply_strict_message(p)));
    for (std::string& w : warning_headers(p.yaml_duplicates)) warnings.push_back(std::move(w));
    return {};
  }
  if (p.messages.empty()) return {};
  if (validation == FieldValidation::Strict) return std::unexpected(bad_request(strict_decoding_message(p)));
  for (std::string& w : warning_headers(p)) warnings.push_back(std::move(w));
  return {};
}

ApiResponse written(const ResourceType& type, const WriteResult& result, std::vector<std::string> warnings) {
  ApiResponse r = ApiResponse::json(result.created ? 201 : 200, as_requested(type, result.object));
  for (std::string& w : warnings) r.headers.emplace_back("Warning", std::move(w));
  return r;
}

}  // namespace claw::sim

// Sources (kubernetes/kubernetes):
// - staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go (asTable:
//   Table kind/version, includeObject handling, PartialObjectMetadata);
// - staging/src/k8s.io/apiserver/pkg/registry/rest/table.go (the default
//   table convertor: Name, Created At as RFC 3339 UTC; list metadata);
// - pkg/printers/storage/storage.go (built-in kinds: printers with Wide);
// - staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/
//   customresource_handler.go (CRDs: the version's printer columns, the
//   default convertor when they cannot be parsed);
// - staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/
//   negotiate.go: the first acceptable Accept clause wins.

#include "runtime/sim/table.h"

#include "runtime/sim/table_crd.h"
#include "runtime/sim/table_printers.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace claw::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One media range of an Accept header: its type and parameters.
struct MediaRange {
  std::string_view type;
  std::string_view as, g, v;
};

MediaRange parse_range(std::string_view clause) {
  MediaRange r;
  std::size_t semi = clause.find(';');
  r.type = trim(clause.substr(0, semi));
  while (semi != std::string_view::npos) {
    std::size_t next = clause.find(';', semi + 1);
    std::string_view param = trim(clause.substr(semi + 1, next == std::string_view::npos ? next : next - semi - 1));
    std::size_t eq = param.find('=');
    if (eq != std::string_view::npos) {
      std::string_view key = trim(param.substr(0, eq)), value = trim(param.substr(eq + 1));
      if (key == "as") r.as = value;
      else if (key == "g") r.g = value;
      else if (key == "v") r.v = value;
    }
    semi = next;
  }
  return r;
}

// The default table convertor's "Created At": time.RFC3339 in UTC.
std::string created_at(const Json& object) {
  const Json* ts = object.contains("metadata") ? &object["metadata"] : nullptr;
  std::optional<TimePoint> t;
  if (ts != nullptr && ts->is_object() && ts->contains("creationTimestamp") && (*ts)["creationTimestamp"].is_string()) {
    t = parse_rfc3339((*ts)["creationTimestamp"].get<std::string>());
  }
  if (!t) return "0001-01-01T00:00:00Z";  // metav1.Time's zero value
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(*t));
}

Printer default_printer() {
  Json columns = Json::array({{{"name", "Name"}, {"type", "string"}, {"format", "name"},
                               {"description", object_meta_doc("name")}, {"priority", 0}},
                              {{"name", "Created At"}, {"type", "date"}, {"format", ""},
                               {"description", object_meta_doc("creationTimestamp")}, {"priority", 0}}});
  return {columns, [](const Json& object, TimePoint) {
            return Json{{"cells", Json::array({object.value("/metadata/name"_json_pointer, std::string()),
                                               created_at(object)})}};
          }};
}

Printer printer_for(const ResourceType& type) {
  if (type.custom) {
    if (auto p = crd_printer(type.printer_columns)) return *p;
    return default_printer();
  }
  if (auto p = builtin_printer(type.group, type.kind)) return *p;
  return default_printer();
}

Json row_object(const ResourceType& type, const Json& object, std::string_view include_object, std::string_view version) {
  if (include_object == "None") return nullptr;
  if (include_object == "Object") {
    Json full = object;
    full["apiVersion"] = type.api_version();
    full["kind"] = type.kind;
    return full;
  }
  return Json{{"kind", "PartialObjectMetadata"},
              {"apiVersion", fmt::format("meta.k8s.io/{}", version)},
              {"metadata", object.contains("metadata") ? object["metadata"] : Json::object()}};
}

}  // namespace

std::string table_version(std::string_view accept) {
  std::size_t start = 0;
  while (start <= accept.size()) {
    std::size_t comma = accept.find(',', start);
    std::string_view clause = accept.substr(start, comma == std::string_view::npos ? comma : comma - start);
    start = comma == std::string_view::npos ? accept.size() + 1 : comma + 1;
    MediaRange r = parse_range(clause);
    if (r.type != "application/json" && r.type != "application/*" && r.type != "*/*") continue;
    if (r.as.empty()) return "";
    if (r.as == "Table" && r.g == "meta.k8s.io" && (r.v == "v1" || r.v == "v1beta1")) return std::string(r.v);
  }
  return "";
}

bool wants_table(std::string_view accept) { return !table_version(accept).empty(); }

std::optional<ApiError> include_object_error(std::string_view include_object) {
  if (include_object.empty() || include_object == "None" || include_object == "Metadata" || include_object == "Object") {
    return std::nullopt;
  }
  return bad_request(fmt::format("unrecognized includeObject value: \"{}\"", include_object));
}

Json to_table(const ResourceType& type, const std::vector<const Json*>& objects, const Json& list_metadata,
              std::string_view include_object, TimePoint now, std::string_view version) {
  Printer printer = printer_for(type);
  Json metadata = Json::object();
  if (list_metadata.is_object()) {
    for (const char* key : {"resourceVersion", "continue", "remainingItemCount"}) {
      if (list_metadata.contains(key) && !list_metadata[key].is_null() &&
          !(list_metadata[key].is_string() && list_metadata[key].get<std::string>().empty())) {
        metadata[key] = list_metadata[key];
      }
    }
  } else if (objects.size() == 1) {
    std::string rv = objects.front()->value("/metadata/resourceVersion"_json_pointer, std::string());
    if (!rv.empty()) metadata["resourceVersion"] = rv;
  }
  Json rows = Json::array();
  for (const Json* object : objects) {
    Json row = printer.row(*object, now);
    row["object"] = row_object(type, *object, include_object, version);
    rows.push_back(std::move(row));
  }
  return Json{{"kind", "Table"},
              {"apiVersion", fmt::format("meta.k8s.io/{}", version)},
              {"metadata", metadata},
              {"columnDefinitions", printer.columns},
              {"rows", rows}};
}

}  // namespace claw::sim

#pragma once
// Server-side printing: the meta.k8s.io Table a real kube-apiserver 1.31
// answers when a client (kubectl get) asks for `as=Table` in its Accept
// header, with the columns and cells of pkg/printers for built-in kinds, a
// CRD's additionalPrinterColumns for custom resources, and the default
// table convertor (Name, Created At) for the rest.

#include "runtime/sim/human_duration.h"
#include "runtime/sim/registry.h"
#include "runtime/sim/status.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claw::sim {

// The Table version ("v1" or "v1beta1") of the first media range in `accept`
// the sim can serve as JSON, or "" when that range is plain JSON (or none is).
std::string table_version(std::string_view accept_header);

// True when the Accept header's first servable media range is
// `application/json;as=Table;v=v1;g=meta.k8s.io` (or v1beta1).
bool wants_table(std::string_view accept_header);

// The 400 a real server answers for an `includeObject` query parameter other
// than "", None, Metadata or Object; nullopt when the value is valid.
std::optional<ApiError> include_object_error(std::string_view include_object);

// The Table a real 1.31 server returns for `objects` (stored JSON of `type`,
// in list order): columnDefinitions, one row per object with its cells and,
// per `include_object` ("None", "Metadata" or "" → PartialObjectMetadata,
// "Object" → the object itself), its `object`. `list_metadata` is the List's
// metadata (resourceVersion, continue, remainingItemCount); pass null for a
// single-object GET, whose resourceVersion is then the object's. Ages are
// computed against `now`. `version` is the Table's meta.k8s.io version.
Json to_table(const ResourceType& type, const std::vector<const Json*>& objects, const Json& list_metadata,
              std::string_view include_object, TimePoint now, std::string_view version = "v1");

}  // namespace claw::sim

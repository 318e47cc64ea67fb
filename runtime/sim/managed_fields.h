#pragma once
// metadata.managedFields: one entry per field manager, decoded into field
// sets and encoded back in the real server's order
// (k8s.io/apimachinery pkg/util/managedfields/internal/managedfields.go).

#include "runtime/sim/field_set.h"

#include <string>
#include <vector>

namespace claw::sim {

struct ManagerEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string time;         // RFC 3339; "" when the entry has none
  std::string subresource;  // "" or "status"
  FieldSet fields;
};

// True when `a` and `b` are the same manager: manager, operation and
// subresource, and for Update also apiVersion (BuildManagerIdentifier).
bool same_manager(const ManagerEntry& a, const ManagerEntry& b);

// The entries of an object's metadata.managedFields (absent: none).
std::vector<ManagerEntry> decode_managed_fields(const Json& object);

// Writes `entries` to object.metadata.managedFields, dropping empty ones,
// sorted as sortEncodedManagedFields does (Apply before Update, then time,
// manager, apiVersion, subresource); no entries removes the key.
void encode_managed_fields(Json& object, std::vector<ManagerEntry> entries);

// The object without metadata.managedFields.
Json without_managed_fields(const Json& object);

// Keeps at most 10 Update entries: the oldest are merged, per apiVersion,
// into an "ancient-changes" entry (internal/capmanagers.go with
// DefaultMaxUpdateManagers). Empty entries are dropped first.
void cap_update_managers(std::vector<ManagerEntry>& entries);

// Drops the paths the field manager never records (internal/stripmeta.go).
FieldSet strip_meta(const FieldSet& set);

// Keeps only what a write through `subresource` may own: `status` for the
// status subresource, everything but `status` on the main resource of a
// kind that has a status subresource (the resource strategies' reset
// fields, e.g. pkg/registry/apps/deployment/strategy.go GetResetFields).
FieldSet tracked_fields(const FieldSet& set, const std::string& subresource, bool status_subresource);

}  // namespace claw::sim

#pragma once
// The two object edits of server-side apply: merging an applied
// configuration into the live object, and removing the fields a manager
// stopped applying (structured-merge-diff typed/merge.go, typed/remove.go,
// merge/update.go prune).

#include "runtime/sim/field_set.h"

namespace claw::sim {

// `config` merged into `live`: scalars and atomic nodes are replaced, structs
// and granular maps merged key by key, list-map items merged by key and set
// items by value, in SMD's order (live items keep their place, new ones come
// where the configuration puts them).
Json merge_objects(const Json& live, const Json& config, SchemaView schema);

// Removes from `object` every node whose path `last` owned (struct fields
// that prefix a member count as owned) and `owned` no longer covers; a
// removed node goes with everything below it (Updater.prune with
// addBackOwnedItems and addBackDanglingItems).
void prune_fields(Json& object, const FieldSet& last, const FieldSet& owned, SchemaView schema);

}  // namespace claw::sim

// Looking up declared objects claw does not own: is one there, made by
// someone else (an adopt), or absent (a create)? One GET per object, or,
// when many objects of one kind and namespace are looked up (the first
// apply of a large program), one LIST of that kind in that namespace.
// Secrets are always read one by one: a LIST would bring every Secret of
// the namespace, values included, into the process, and a user allowed to
// get some Secrets may not be allowed to list them.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/cluster/discovery.h"
#include "runtime/cluster/transport.h"

namespace claw::plan {

/// An object to look up: its kind as discovered, namespace and name.
struct Wanted {
  const cluster::ResourceInfo* info = nullptr;
  std::string_view namespace_, name;
};

/// What the server holds under a wanted name.
struct Found {
  enum class State { Absent, Present, Failed };
  State state = State::Absent;
  /// Present: the object, with its apiVersion and kind.
  nlohmann::json object;
  /// Failed: why, as failure_text says it.
  std::string error;
};

/// From how many objects of one kind and namespace a LIST replaces the GETs.
inline constexpr size_t kListFrom = 8;

/// Each wanted object's state, in `wanted`'s order: GETs, and a LIST per
/// kind and namespace with at least kListFrom wanted (not Secrets), in one
/// batch; a LIST the server refuses falls back to GETs.
std::vector<Found> look_up(cluster::Transport& transport, std::span<const Wanted> wanted);

}  // namespace claw::plan

// The Secrets `claw apply` creates: one per `secret` declaration in each
// namespace that makes it (its own when written, and every namespace of a
// workload that reads it), and a chart's values Secret when some of its
// values come from secrets. Their bodies hold no values: those are read
// from each declaration's source (env var or file) at apply time only.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "compiler/emit/object.h"
#include "compiler/sema/model.h"
#include "compiler/sema/secret_readers.h"

namespace claw::emit {

/// The namespaces `s`'s Secret is made in, given its readers.
std::set<std::string> secret_namespaces(const sema::Secret& s, const std::vector<sema::SecretReader>& readers);

/// The Secret objects of `model`, with their sources; `charts` are the
/// charts as emitted (time-slicing values added), in model order.
std::vector<Object> secret_objects(const sema::Model& model, const std::vector<sema::Chart>& charts);

}  // namespace claw::emit

// Where an emitted object came from, as the emitters write it: a header
// comment `# source: infra/services/core.claw:42` above every document, so
// a reader, or a runtime rejection, can find the declaration behind it.
#pragma once

#include <functional>
#include <string>

#include "compiler/source/source.h"

namespace claw::emit {

/// `path:line` of a span; empty when the span is not valid. The driver
/// builds one from its SourceManager; tests can pass their own.
using Where = std::function<std::string(source::Span)>;

/// A Where over the files of `sources`.
Where where_in(const source::SourceManager& sources);

/// A Where that knows no files (every span is unknown).
inline Where nowhere() {
  return [](source::Span) { return std::string(); };
}

}  // namespace claw::emit

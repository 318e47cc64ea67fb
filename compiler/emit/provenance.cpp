#include "compiler/emit/provenance.h"

#include <fmt/format.h>

namespace claw::emit {

Where where_in(const source::SourceManager& sources) {
  return [&sources](source::Span span) -> std::string {
    if (!span.valid() || span.file.value >= sources.size()) return {};
    const source::SourceFile& f = sources.file(span.file);
    return fmt::format("{}:{}", f.path(), f.line_col(span.begin).line);
  };
}

}  // namespace claw::emit

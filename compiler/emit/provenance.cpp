#include "compiler/emit/provenance.h"

#include <charconv>

namespace claw::emit {

Where where_in(const source::SourceManager& sources) {
  return [&sources](source::Span span) -> std::string {
    if (!span.valid() || span.file.value >= sources.size()) return {};
    const source::SourceFile& f = sources.file(span.file);
    char line[16];
    auto end = std::to_chars(line, line + sizeof line, f.line_of(span.begin)).ptr;
    std::string where;
    where.reserve(f.path().size() + 1 + static_cast<size_t>(end - line));
    where.append(f.path()).append(1, ':').append(line, end);
    return where;
  };
}

}  // namespace claw::emit

#include "compiler/format/format.h"

#include "compiler/format/layout.h"
#include "compiler/format/anchors.h"
#include "compiler/format/same_tokens.h"
#include "compiler/syntax/parse.h"

namespace claw::format {

std::expected<std::string, diag::Sink> format_source(std::string_view text, source::FileId id) {
  source::SourceFile file("", std::string(text));
  syntax::ParseResult parsed = syntax::parse_file(file, id);
  if (parsed.diags.has_errors()) return std::unexpected(std::move(parsed.diags));
  // A byte order mark, which the lexer skips, is kept.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  std::string out = layout(text, anchors(*parsed.file));
  if (text.starts_with(kBom)) out.insert(0, kBom);
  // A layout that lost or changed a token is a bug; the file is left alone.
  if (auto at = first_token_difference(text, out)) {
    diag::Sink sink;
    sink.report(diag::Kind::OutputFailed, source::Span{id, *at, *at},
                "claw fmt would change the tokens here, which it must never do (a bug in claw fmt: please report it "
                "with this file); the file is left as it is");
    return std::unexpected(std::move(sink));
  }
  return out;
}

}  // namespace claw::format

// `claw fmt`'s engine: one file's text in, the same program in the one
// canonical layout out (grammar/README.md, "Formatting"). Works on text
// alone, so the language server formats an editor's buffer with it.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace claw::format {

/// The canonical layout of `text`, a whole `.claw` file; or, when it does
/// not parse, its syntax diagnostics (their spans name file `id`, for the
/// caller's SourceManager). The result lexes into the same tokens and
/// comments, in the same order, as `text`.
std::expected<std::string, diag::Sink> format_source(std::string_view text, source::FileId id = source::FileId{0});

}  // namespace claw::format

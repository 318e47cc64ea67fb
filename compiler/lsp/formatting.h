// textDocument/formatting through claw fmt's engine.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/lsp/position.h"

namespace claw::lsp {

/// The TextEdits that make `text` (a whole document) canonically laid out:
/// one edit replacing the text from its start to its end, or [] when it is
/// laid out already or does not parse (its syntax errors are published as
/// diagnostics; a format-on-save must not fail loudly over them, and the
/// text is left as it is, as `claw fmt` leaves such a file).
nlohmann::json formatting(std::string_view text, Encoding enc);

}  // namespace claw::lsp

// Formatting: format::format_source on the document's text.
#include "compiler/lsp/formatting.h"

#include "compiler/format/format.h"

namespace claw::lsp {

nlohmann::json formatting(std::string_view text, Encoding enc) {
  auto formatted = format::format_source(text);
  if (!formatted || *formatted == text) return nlohmann::json::array();
  Position end = LineMap(text).position(static_cast<uint32_t>(text.size()), enc);
  nlohmann::json range = {{"start", {{"line", 0}, {"character", 0}}},
                          {"end", {{"line", end.line}, {"character", end.character}}}};
  return nlohmann::json::array({{{"range", std::move(range)}, {"newText", std::move(*formatted)}}});
}

}  // namespace claw::lsp

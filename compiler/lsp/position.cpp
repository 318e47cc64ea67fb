// Position ↔ offset over UTF-8 text: a code point of four bytes is two
// UTF-16 code units (a surrogate pair); ill-formed bytes count one unit each.
#include "compiler/lsp/position.h"

#include <algorithm>

namespace claw::lsp {
namespace {

/// The byte length of the UTF-8 sequence a lead byte starts (1 for a stray byte).
uint32_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

/// The code units one code point of `len` bytes takes.
uint32_t units(uint32_t len, Encoding enc) {
  if (enc == Encoding::Utf8) return len;
  return len == 4 ? 2 : 1;
}

}  // namespace

LineMap::LineMap(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      starts_.push_back(i + 1);
    } else if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

uint32_t LineMap::line_end(uint32_t line) const {
  uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] : static_cast<uint32_t>(text_.size());
  while (end > starts_[line] && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return end;
}

uint32_t LineMap::offset(Position p, Encoding enc) const {
  if (p.line >= starts_.size()) return static_cast<uint32_t>(text_.size());
  uint32_t at = starts_[p.line];
  const uint32_t end = line_end(p.line);
  uint32_t counted = 0;
  while (at < end) {
    uint32_t len = std::min(sequence_length(static_cast<unsigned char>(text_[at])), end - at);
    uint32_t u = units(len, enc);
    if (counted + u > p.character) break;
    counted += u;
    at += len;
  }
  return at;
}

Position LineMap::position(uint32_t offset, Encoding enc) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts_.begin()) - 1;
  const uint32_t end = std::min(line_end(line), offset);
  uint32_t at = starts_[line], counted = 0;
  while (at < end) {
    uint32_t len = std::min(sequence_length(static_cast<unsigned char>(text_[at])), end - at);
    counted += units(len, enc);
    at += len;
  }
  return Position{line, counted};
}

}  // namespace claw::lsp

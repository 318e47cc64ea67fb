#include "compiler/placement/annotation.h"

#include <charconv>

namespace claw::placement {

std::string placement_annotation(const std::vector<Where>& replicas) {
  std::string out;
  for (const Where& w : replicas) {
    if (!out.empty()) out += ", ";
    out += w.machine;
    if (w.cards.empty()) continue;
    out += '[';
    for (size_t i = 0; i < w.cards.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(w.cards[i]);
    }
    out += ']';
  }
  return out;
}

std::optional<std::vector<Where>> parse_placement_annotation(std::string_view value) {
  std::vector<Where> out;
  while (!value.empty()) {
    size_t comma = value.find(", ");
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 2);
    Where w;
    size_t open = item.find('[');
    w.machine = std::string(item.substr(0, open));
    if (w.machine.empty()) return std::nullopt;
    if (open != std::string_view::npos) {
      if (!item.ends_with(']')) return std::nullopt;
      std::string_view cards = item.substr(open + 1, item.size() - open - 2);
      while (!cards.empty()) {
        size_t sep = cards.find(',');
        std::string_view digits = cards.substr(0, sep);
        int card = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), card);
        if (ec != std::errc() || end != digits.data() + digits.size() || card < 0) return std::nullopt;
        w.cards.push_back(card);
        cards = sep == std::string_view::npos ? std::string_view() : cards.substr(sep + 1);
      }
      if (w.cards.empty()) return std::nullopt;
    }
    out.push_back(std::move(w));
  }
  return out;
}

std::string describe(const Where& where) {
  std::string out = where.machine;
  if (where.cards.empty()) return out;
  out += where.cards.size() == 1 ? " card " : " cards ";
  for (size_t i = 0; i < where.cards.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(where.cards[i]);
  }
  return out;
}

}  // namespace claw::placement

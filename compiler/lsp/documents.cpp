// Full and incremental document sync (TextDocumentSyncKind 1 and 2).
#include "compiler/lsp/documents.h"

#include <fmt/format.h>

#include "compiler/lsp/position_json.h"

namespace claw::lsp {
namespace {

std::expected<Position, std::string> read_position(const nlohmann::json& p) {
  if (auto pos = position_from_json(p)) return *pos;
  return std::unexpected(std::string("a position needs a non-negative `line` and `character`"));
}

/// `text` with one change applied.
std::expected<std::string, std::string> apply(std::string text, const nlohmann::json& change, Encoding enc) {
  if (!change.is_object() || !change.contains("text") || !change["text"].is_string())
    return std::unexpected(std::string("a content change needs a `text` string"));
  const std::string& replacement = change["text"].get_ref<const std::string&>();
  if (!change.contains("range")) return replacement;
  const auto& range = change["range"];
  if (!range.is_object()) return std::unexpected(std::string("a change's `range` must be an object"));
  auto start = read_position(range.value("start", nlohmann::json()));
  auto end = read_position(range.value("end", nlohmann::json()));
  if (!start || !end) return std::unexpected(start ? end.error() : start.error());
  LineMap lines(text);
  uint32_t b = lines.offset(*start, enc), e = lines.offset(*end, enc);
  if (e < b) return std::unexpected(std::string("a change's range ends before it starts"));
  text.replace(b, e - b, replacement);
  return text;
}

}  // namespace

void Documents::open(const std::string& path, std::string text, int64_t version) {
  docs_[path] = Document{std::move(text), version};
}

std::expected<void, std::string> Documents::change(const std::string& path, const nlohmann::json& changes,
                                                   int64_t version, Encoding enc) {
  auto it = docs_.find(path);
  if (it == docs_.end()) return std::unexpected(fmt::format("`{}` is not open; send didOpen first", path));
  if (!changes.is_array()) return std::unexpected(std::string("`contentChanges` must be an array"));
  std::string text = it->second.text;
  for (const auto& c : changes) {
    auto next = apply(std::move(text), c, enc);
    if (!next) return std::unexpected(fmt::format("a change to `{}`: {}", path, next.error()));
    text = std::move(*next);
  }
  it->second = Document{std::move(text), version};
  return {};
}

void Documents::close(const std::string& path) { docs_.erase(path); }

const Document* Documents::find(const std::string& path) const {
  auto it = docs_.find(path);
  return it == docs_.end() ? nullptr : &it->second;
}

}  // namespace claw::lsp

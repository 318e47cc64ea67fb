#include "compiler/project/parse_cache.h"

#include <unordered_set>

namespace claw::project {

source::FileId ParseCache::id_for(const std::string& path) {
  auto [it, added] = ids_.try_emplace(path, source::FileId{static_cast<uint32_t>(ids_.size())});
  return it->second;
}

const ParseCache::Entry* ParseCache::find(source::FileId id, std::string_view text) const {
  auto it = entries_.find(id.value);
  if (it == entries_.end() || it->second.source->text() != text) return nullptr;
  return &it->second;
}

void ParseCache::store(source::FileId id, Entry entry) { entries_[id.value] = std::move(entry); }

void ParseCache::keep_only(const std::vector<source::FileId>& loaded) {
  std::unordered_set<uint32_t> kept;
  for (source::FileId id : loaded) kept.insert(id.value);
  std::erase_if(entries_, [&](const auto& e) { return !kept.count(e.first); });
}

}  // namespace claw::project

// Parses kept from one load of a program to the next, for a process that
// loads the same files again and again (the language server): a file whose
// text has not changed is not parsed again, and every file keeps its id, so
// that spans stay comparable across loads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace claw::project {

class ParseCache {
 public:
  /// One file as last parsed.
  struct Entry {
    std::shared_ptr<const source::SourceFile> source;
    std::shared_ptr<syntax::File> file;
    std::vector<diag::Diagnostic> diags;  // the parse's
    uint64_t tokens = 0;
  };

  /// The id of the file read from `path`: the same in every load.
  source::FileId id_for(const std::string& path);
  /// The parse of file `id` if its text was `text`, or nullptr. Safe from
  /// several threads at once, while nothing is stored.
  const Entry* find(source::FileId id, std::string_view text) const;
  /// Keeps the parse of file `id`.
  void store(source::FileId id, Entry entry);
  /// Forgets the parses of the files not among `loaded` (the last load's).
  void keep_only(const std::vector<source::FileId>& loaded);
  size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, source::FileId, std::less<>> ids_;
  std::unordered_map<uint32_t, Entry> entries_;
};

}  // namespace claw::project

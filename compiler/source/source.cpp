#include "compiler/source/source.h"

#include <algorithm>
#include <cstring>

namespace claw::source {

Span join(Span a, Span b) {
  if (!a.valid()) return b;
  if (!b.valid() || !(a.file == b.file)) return a;
  return Span{a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  // memchr finds each newline many bytes at a time: every input file is
  // scanned here once, before it is parsed.
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  line_starts_.reserve(static_cast<size_t>(std::count(begin, end, '\n')) + 1);
  line_starts_.push_back(0);
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr;)
    line_starts_.push_back(static_cast<uint32_t>(++p - begin));
}

uint32_t SourceFile::line_of(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  return static_cast<uint32_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - line_starts_.begin());
}

LineCol SourceFile::line_col(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  uint32_t line = line_of(offset);
  uint32_t start = line_starts_[line - 1];
  uint32_t column = 1;
  for (uint32_t i = start; i < offset; ++i) {
    // Count code points: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return LineCol{line, column};
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  std::string_view s(text_.data() + start, end - start);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

FileId SourceManager::add(std::string path, std::string text) {
  files_.push_back(std::make_shared<const SourceFile>(std::move(path), std::move(text)));
  return FileId{static_cast<uint32_t>(files_.size() - 1)};
}

void SourceManager::add_at(FileId id, std::string path) {
  static const auto empty = std::make_shared<const SourceFile>(std::string(), std::string());
  if (files_.size() <= id.value) files_.resize(id.value + 1, empty);
  files_[id.value] = std::make_shared<const SourceFile>(std::move(path), std::string());
}

void SourceManager::fill(FileId id, std::string text) {
  auto& f = files_[id.value];
  f = std::make_shared<const SourceFile>(f->path_, std::move(text));
}

void SourceManager::share(FileId id, std::shared_ptr<const SourceFile> shared) { files_[id.value] = std::move(shared); }

std::string_view SourceManager::text(Span span) const {
  if (!span.valid()) return {};
  auto t = file(span.file).text();
  if (span.begin > t.size() || span.end > t.size() || span.begin > span.end) return {};
  return t.substr(span.begin, span.end - span.begin);
}

}  // namespace claw::source

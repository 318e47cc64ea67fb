#include "compiler/emit/json_writer.h"

#include <fmt/format.h>

#include <charconv>

namespace claw::emit {

void JsonWriter::item() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  Level& l = levels_.back();
  if (!l.empty) out_ += ',';
  l.empty = false;
  out_ += '\n';
  out_.append(2 * levels_.size(), ' ');
}

void JsonWriter::open(char c) {
  item();
  out_ += c;
  levels_.push_back(Level{});
}

void JsonWriter::close(char c) {
  bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) {
    out_ += '\n';
    out_.append(2 * levels_.size(), ' ');
  }
  out_ += c;
}

void JsonWriter::key(std::string_view k) {
  item();
  string(k);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::value(std::string_view s) {
  item();
  string(s);
}

void JsonWriter::value(int64_t i) {
  item();
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, i).ptr;
  out_.append(buf, static_cast<size_t>(end - buf));
}

void JsonWriter::value(bool b) {
  item();
  out_ += b ? "true" : "false";
}

namespace {

bool needs_escape(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return c < 0x20 || c == '"' || c == '\\';
}

}  // namespace

void JsonWriter::string(std::string_view s) {
  // Most strings need no escape: found first, then copied whole.
  size_t clean = 0;
  while (clean < s.size() && !needs_escape(s[clean])) ++clean;
  out_ += '"';
  out_.append(s.data(), clean);
  for (size_t i = clean; i < s.size(); ++i) {
    if (!needs_escape(s[i])) {
      out_ += s[i];
      continue;
    }
    switch (auto c = static_cast<unsigned char>(s[i])) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default: out_ += fmt::format("\\u{:04x}", c);
    }
  }
  out_ += '"';
}

}  // namespace claw::emit

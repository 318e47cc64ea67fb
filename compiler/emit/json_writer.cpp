#include "compiler/emit/json_writer.h"

#include <fmt/format.h>

namespace claw::emit {

void JsonWriter::item() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  out_ += levels_.back().empty ? "\n" : ",\n";
  levels_.back().empty = false;
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
  out_ += std::to_string(i);
}

void JsonWriter::value(bool b) {
  item();
  out_ += b ? "true" : "false";
}

void JsonWriter::string(std::string_view s) {
  out_ += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (c < 0x20) out_ += fmt::format("\\u{:04x}", c);
        else out_ += ch;
    }
  }
  out_ += '"';
}

}  // namespace claw::emit

#include "compiler/emit/yaml_writer.h"

#include <charconv>

#include "compiler/emit/safe_text.h"


namespace claw::emit::yaml {

void Writer::child_start(Level& l) {
  if (l.count == 0 && l.after_key) out_ += '\n';
  if (l.count > 0 || !l.inline_first) out_.append(static_cast<size_t>(l.indent), ' ');
  ++l.count;
}

int Writer::value_start() {
  if (levels_.empty()) return -2;
  Level& l = levels_.back();
  if (l.seq) {
    child_start(l);
    out_ += "- ";
  } else {
    out_ += ' ';
  }
  return l.indent;
}

void Writer::key(std::string_view k) {
  Level& l = levels_.back();
  child_start(l);
  // An escape is at most 6 bytes for one byte of `k`, plus 2 for quotes: a
  // key this short is an implicit key however it is written.
  if (k.size() <= (kMaxImplicitKey - 2) / 6) {
    append_yaml_string(out_, k, l.indent, false);
    out_ += ':';
    return;
  }
  // An implicit key is at most 1024 characters long (YAML 1.2, 7.4.2; PyYAML
  // and js-yaml refuse longer ones): a longer key is written explicit,
  // `? key` and its `:` on the next line.
  std::string written;
  append_yaml_string(written, k, l.indent, false);
  if (written.size() > kMaxImplicitKey) {
    out_ += "? ";
    out_ += written;
    out_ += '\n';
    out_.append(static_cast<size_t>(l.indent), ' ');
  } else {
    out_ += written;
  }
  out_ += ':';
}

void Writer::plain_key(std::string_view k) {
  child_start(levels_.back());
  out_ += k;
  out_ += ':';
}

void Writer::str(std::string_view s) {
  int indent = value_start();
  append_yaml_string(out_, s, indent);
  out_ += '\n';
}

void Writer::plain(std::string_view text) {
  value_start();
  out_ += text;
  out_ += '\n';
}

void Writer::num(int64_t i) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, i).ptr;
  plain(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void Writer::open(bool seq) {
  Level next{seq, false, false, 0};
  if (!levels_.empty()) {
    Level& l = levels_.back();
    if (l.seq) {
      child_start(l);
      out_ += "- ";
      next.inline_first = true;
    } else {
      next.after_key = true;
    }
    next.indent = l.indent + 2;
  }
  levels_.push_back(next);
}

void Writer::close(std::string_view empty) {
  Level l = levels_.back();
  levels_.pop_back();
  if (l.count > 0) return;
  if (l.after_key) out_ += ' ';
  out_ += empty;
  out_ += '\n';
}

void stream_header(std::string& out, std::string_view header) { append_comment(out, header); }

void document_start(std::string& out, std::string_view source) {
  out += "---\n";
  if (source.empty()) return;
  out += "# source: ";
  append_comment_safe(out, source);
  out += '\n';
}

}  // namespace claw::emit::yaml

// Writing YAML block style straight into a string: the layout behind
// yaml_doc's trees, and the writer the emitters use for objects whose shape
// is fixed (a workload's manifests, thousands of them per build), which
// then build no tree at all. Keys are written in the order given; callers
// give them sorted, as the trees do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/emit/yaml_string.h"

namespace claw::emit::yaml {

/// A map key spelt in claw's source, checked when claw is compiled to need
/// no quoting, so it is written as is: a literal that would need quoting
/// does not compile (write it with Writer::key instead).
class PlainKey {
 public:
  template <size_t N>
  consteval PlainKey(const char (&text)[N]) : text_(text, N - 1) {  // NOLINT: implicit by design
    if (!obviously_plain(text_)) throw "a key that needs quoting: write it with Writer::key";
  }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

/// Appends one YAML document body (maps and sequences nested, two-space
/// indents, sequences indented under their key) to `out`. Every value is a
/// scalar or a collection opened and closed in turn; a value follows a
/// `key` inside a map, stands as an item inside a sequence, or is the root.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) { levels_.reserve(16); }

  /// The next entry's key in the innermost map (quoted when YAML needs it;
  /// explicit, `? key`, when longer than an implicit key may be).
  void key(std::string_view k);
  /// The longest implicit key written, in bytes (YAML's limit is 1024
  /// characters; a UTF-8 character is at least one byte).
  static constexpr size_t kMaxImplicitKey = 1000;
  /// Text, quoted when a reader could take it for another type or as a
  /// literal block when it spans lines (yaml_string.h).
  void str(std::string_view s);
  /// A number, boolean or other text written as is (the caller vouches it
  /// is valid).
  void plain(std::string_view text);
  void num(int64_t i);
  /// A key known to need no quoting (the text of a PlainKey, kept in a tree).
  void key_unquoted(std::string_view k) { plain_key(k); }
  void boolean(bool b) { plain(b ? "true" : "false"); }
  void null() { plain("~"); }
  /// Collections; an empty one is written `{}` or `[]`.
  void begin_map() { open(false); }
  void end_map() { close("{}"); }
  void begin_seq() { open(true); }
  void end_seq() { close("[]"); }

  // An entry of the innermost map: its key (spelt in claw's source), then
  // the value.
  void str(PlainKey k, std::string_view s) { plain_key(k.text()), str(s); }
  void plain(PlainKey k, std::string_view text) { plain_key(k.text()), plain(text); }
  void num(PlainKey k, int64_t i) { plain_key(k.text()), num(i); }
  void boolean(PlainKey k, bool b) { plain_key(k.text()), boolean(b); }
  void begin_map(PlainKey k) { plain_key(k.text()), begin_map(); }
  void begin_seq(PlainKey k) { plain_key(k.text()), begin_seq(); }

 private:
  struct Level {
    bool seq;           // a sequence, else a map
    bool after_key;     // the value of a key: its first child goes on a new line
    bool inline_first;  // an item of a sequence: its first child follows the `- `
    int indent;         // of its children
    size_t count = 0;   // children so far
  };
  /// Before a value: `- ` for a sequence item; returns the indent a
  /// literal block's lines are relative to.
  int value_start();
  /// Before a child of the innermost collection: its line break and indent.
  void child_start(Level& l);
  /// A key known to need no quoting.
  void plain_key(std::string_view k);
  void open(bool seq);
  void close(std::string_view empty);

  std::string& out_;
  std::vector<Level> levels_;
};

/// Starts a YAML stream: its header comment (one line, whatever `header`
/// holds: see safe_text.h).
void stream_header(std::string& out, std::string_view header);
/// Starts the next document of a stream, after a `source:` comment naming
/// the declaration it came from (none when `source` is empty), kept to one
/// line like every comment (safe_text.h).
void document_start(std::string& out, std::string_view source);

}  // namespace claw::emit::yaml

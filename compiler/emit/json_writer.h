// A streaming JSON writer for the large JSON files `claw build` writes
// (placement.json has an entry per replica): the same layout as
// nlohmann::json's dump(2), without building a document first. Keys are
// written in the order given; callers give them sorted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace claw::emit {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// The next member's key; its value follows.
  void key(std::string_view k);
  void value(std::string_view s);
  void value(const std::string& s) { value(std::string_view(s)); }
  void value(const char* s) { value(std::string_view(s)); }
  void value(int64_t i);
  void value(int i) { value(static_cast<int64_t>(i)); }
  void value(bool b);

 private:
  struct Level {
    bool empty = true;
  };
  void open(char c);
  void close(char c);
  void item();  // the separator and indent before an array item or a key
  void string(std::string_view s);

  std::string& out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace claw::emit

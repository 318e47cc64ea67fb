// The byte streams the language server speaks over: standard input and
// output in the executable, memory in the tests.
#pragma once

#include <cstddef>
#include <string_view>

namespace claw::lsp {

/// A two-way byte stream: what the client sends, and where replies go.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  /// Reads up to `n` bytes into `buf`; returns how many, 0 at the end of input.
  virtual size_t read(char* buf, size_t n) = 0;
  /// Writes all of `bytes`; false when they could not be written (the client is gone).
  virtual bool write(std::string_view bytes) = 0;
  /// Whether a read would return at once (more input is waiting).
  virtual bool pending() = 0;
};

/// The stream of two file descriptors (0 and 1 for `claw lsp`).
class FdStream final : public ByteStream {
 public:
  FdStream(int in, int out) : in_(in), out_(out) {}
  size_t read(char* buf, size_t n) override;
  bool write(std::string_view bytes) override;
  bool pending() override;

 private:
  int in_, out_;
};

}  // namespace claw::lsp

// Content-Length framing, read defensively: a header that is not
// `Name: value`, a missing or non-numeric or oversized length is a
// malformed frame, consumed up to its empty line and reported.
#include "compiler/lsp/framing.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace claw::lsp {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The body's length a header part gives, or what is wrong with it.
std::expected<size_t, std::string> content_length(std::string_view headers) {
  std::optional<size_t> length;
  while (!headers.empty()) {
    size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return std::unexpected(fmt::format("header line `{}` is not `Name: value`", line.substr(0, 80)));
    if (lower(trim(line.substr(0, colon))) != "content-length") continue;
    std::string_view value = trim(line.substr(colon + 1));
    size_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size())
      return std::unexpected(fmt::format("Content-Length `{}` is not a number of bytes", value.substr(0, 40)));
    if (n > kMaxBody) return std::unexpected(fmt::format("Content-Length {} is over the limit of {} bytes", n, kMaxBody));
    length = n;
  }
  if (!length) return std::unexpected(std::string("the header has no Content-Length"));
  return *length;
}

}  // namespace

bool FrameReader::fill() {
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  char chunk[65536];
  size_t got = in_.read(chunk, sizeof chunk);
  if (got == 0) return false;
  buf_.append(chunk, got);
  return true;
}

std::expected<std::string, FrameError> FrameReader::next() {
  size_t end;
  while ((end = buf_.find("\r\n\r\n", pos_)) == std::string::npos) {
    if (!fill()) return std::unexpected(FrameError{true, {}});
  }
  std::string_view headers(buf_.data() + pos_, end - pos_);
  auto length = content_length(headers);
  pos_ = end + 4;
  if (!length) return std::unexpected(FrameError{false, length.error()});
  while (buf_.size() - pos_ < *length) {
    if (!fill()) return std::unexpected(FrameError{true, {}});
  }
  std::string body = buf_.substr(pos_, *length);
  pos_ += *length;
  return body;
}

bool FrameReader::ready() { return pos_ < buf_.size() || in_.pending(); }

std::string frame(std::string_view body) {
  return fmt::format("Content-Length: {}\r\n\r\n{}", body.size(), body);
}

}  // namespace claw::lsp

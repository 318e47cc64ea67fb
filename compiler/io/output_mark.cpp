#include "compiler/io/output_mark.h"

#include <fmt/format.h>

#include <algorithm>

namespace claw::io {
namespace {

constexpr std::string_view kHeader = "claw-build 1\n";
constexpr std::string_view kComment =
    "# This folder is the output of `claw build`, which replaces it as a whole on every build.\n"
    "# It holds only the files listed below; a build refuses to replace a folder holding anything else.\n";

/// One path as a line: `\`, control bytes and a leading `#` escaped, so
/// no path can break the one-path-a-line layout or read as a comment.
std::string escape(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    if (c == '\\') out += "\\\\";
    else if (c < 0x20 || c == 0x7f || (c == '#' && out.empty())) out += fmt::format("\\x{:02x}", c);
    else out.push_back(static_cast<char>(c));
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/// The path a line holds, or nothing when its escapes are malformed.
std::optional<std::string> unescape(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\\') {
      out.push_back(line[i]);
    } else if (i + 1 < line.size() && line[i + 1] == '\\') {
      out.push_back('\\');
      i += 1;
    } else if (i + 3 < line.size() && line[i + 1] == 'x' && hex_digit(line[i + 2]) >= 0 && hex_digit(line[i + 3]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(line[i + 2]) * 16 + hex_digit(line[i + 3])));
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::string format_mark(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  std::string out(kHeader);
  out += kComment;
  for (const auto& p : paths)
    if (p != kMarkName) out += escape(p) + "\n";
  return out;
}

std::optional<std::vector<std::string>> parse_mark(std::string_view text) {
  if (!text.starts_with(kHeader) || (!text.empty() && text.back() != '\n')) return std::nullopt;
  std::vector<std::string> paths;
  for (size_t at = kHeader.size(); at < text.size();) {
    size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.starts_with("#")) continue;
    auto path = unescape(line);
    if (!path || path->empty()) return std::nullopt;
    paths.push_back(std::move(*path));
  }
  return paths;
}

}  // namespace claw::io

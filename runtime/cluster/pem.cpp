#include "runtime/cluster/pem.h"

#include <algorithm>
#include <cstdint>

namespace claw::cluster {

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

// Kubernetes decodes `[]byte` JSON fields with Go's base64.StdEncoding:
// padding required, '\r' and '\n' ignored (encoding/base64 Decode).
std::optional<std::string> decode_base64(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != '\n' && c != '\r') clean += c;
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(clean.size() / 4 * 3);
  for (size_t i = 0; i < clean.size(); i += 4) {
    const bool last = i + 4 == clean.size();
    int pad = 0;
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = clean[i + j];
      if (c == '=' && last && j >= 2) {
        ++pad;
        group <<= 6;
        continue;
      }
      const int v = base64_value(c);
      if (v < 0 || pad > 0) return std::nullopt;
      group = (group << 6) | static_cast<uint32_t>(v);
    }
    out += static_cast<char>((group >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((group >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(group & 0xff);
  }
  return out;
}

std::string encode_base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t j = 0; j < 3; ++j) group = (group << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    for (size_t j = 0; j < 4; ++j) out += j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 0x3f] : '=';
  }
  return out;
}

bool looks_like_pem(std::string_view bytes) {
  const size_t begin = bytes.find("-----BEGIN ");
  if (begin == std::string_view::npos) return false;
  const size_t label_end = bytes.find("-----", begin + 11);
  if (label_end == std::string_view::npos) return false;
  const std::string_view label = bytes.substr(begin + 11, label_end - begin - 11);
  const std::string end = "-----END " + std::string(label) + "-----";
  return bytes.find(end, label_end + 5) != std::string_view::npos;
}

}  // namespace claw::cluster

#include "compiler/sema/quantity_text.h"

#include <fmt/format.h>

namespace claw::sema {

std::string bytes_text(int64_t bytes) {
  constexpr int64_t MiB = 1LL << 20, GiB = 1LL << 30, TiB = 1LL << 40;
  if (bytes >= TiB && bytes % TiB == 0) return fmt::format("{}TiB", bytes / TiB);
  if (bytes % GiB == 0) return fmt::format("{}GiB", bytes / GiB);
  if (bytes < GiB && bytes % MiB == 0) return fmt::format("{}MiB", bytes / MiB);
  return fmt::format("{:.1f}GiB", static_cast<double>(bytes) / static_cast<double>(GiB));
}

std::pair<std::string, std::string> bytes_texts_apart(int64_t need, int64_t have) {
  std::string a = bytes_text(need), b = bytes_text(have);
  if (a != b || need == have) return {std::move(a), std::move(b)};
  constexpr int64_t MiB = 1LL << 20;
  auto mib = [](int64_t bytes) {
    return bytes % MiB == 0 ? fmt::format("{}MiB", bytes / MiB)
                            : fmt::format("{:.1f}MiB", static_cast<double>(bytes) / static_cast<double>(MiB));
  };
  return {mib(need), mib(have)};
}

std::string cpu_text(int64_t millis) {
  return millis % 1000 == 0 ? fmt::format("{}", millis / 1000) : fmt::format("{}m", millis);
}

std::string cores_text(int64_t millis) {
  std::string s = fmt::format("{}.{:03}", millis / 1000, millis % 1000);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace claw::sema

#include <doctest/doctest.h>

#include "compiler/sema/quantity_text.h"

namespace {

constexpr int64_t MiB = 1LL << 20, GiB = 1LL << 30;

TEST_CASE("two sizes that differ are never written alike in one note") {
  struct Case {
    int64_t need, have;
    const char* need_text;
    const char* have_text;
  };
  const Case cases[] = {
      {3450 * MiB, 3461 * MiB + MiB / 5, "3450MiB", "3461.2MiB"},          // both "3.4GiB" in GiB
      {3 * GiB + MiB / 2, 3 * GiB + MiB * 3 / 10, "3072.5MiB", "3072.3MiB"},  // both "3.0GiB"
      {1 * GiB, 512 * MiB, "1GiB", "512MiB"},                     // already apart: as bytes_text writes them
      {2 * GiB, 2 * GiB, "2GiB", "2GiB"},                         // equal sizes stay alike
      {3400 * MiB, 3400 * MiB, "3.3GiB", "3.3GiB"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.need);
    CAPTURE(c.have);
    auto [need, have] = claw::sema::bytes_texts_apart(c.need, c.have);
    CHECK(need == c.need_text);
    CHECK(have == c.have_text);
    if (c.need != c.have) CHECK(need != have);
  }
}

}  // namespace

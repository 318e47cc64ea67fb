// claw.lock's strings and numbers as lock_text writes them: names that JSON
// must escape (RFC 8259, section 7: the quotation mark, the reverse solidus
// and the control characters U+0000 to U+001F), numbers of several digits,
// and each read back to the same placement.
#include <doctest/doctest.h>

#include <string>

#include "compiler/placement/lock_file.h"

namespace {

using namespace claw;
using placement::Previous;
using placement::Where;

}  // namespace

TEST_CASE("lock text: names JSON must escape are escaped, and read back") {
  struct Case {
    std::string machine;
    std::string written;  // the machine's JSON string, as written by hand
  };
  const Case cases[] = {
      {"plain-01", R"("plain-01")"},
      {"a\"b", R"("a\"b")"},
      {"a\\b", R"("a\\b")"},
      {std::string("a\x01") + "b", R"("a\u0001b")"},
      {"tab\there", R"("tab\u0009here")"},
      {std::string("nul\0", 4), R"("nul\u0000")"},
      {"\x1f", R"("\u001f")"},
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},  // UTF-8 is written as is
  };
  for (const auto& c : cases) {
    INFO(c.written);
    Previous p;
    p.workloads["ns/" + c.machine][0] = Where{c.machine, {}};
    const std::string text = placement::lock_text(p);
    CHECK(text.find("    \"ns/" + c.written.substr(1) + ": [\n") != std::string::npos);
    CHECK(text.find("      {\"machine\": " + c.written + ", \"replica\": 0}\n") != std::string::npos);
    auto back = placement::parse_lock(text, "claw.lock");
    REQUIRE(back.has_value());
    CHECK(back->workloads == p.workloads);
  }
}

TEST_CASE("lock text: numbers of several digits, many replicas, read back") {
  Previous p;
  for (int r = 0; r < 120; ++r) p.workloads["apps/big"][r] = Where{"m-" + std::to_string(r % 7), {r % 3, 10 + r}};
  p.workloads["apps/none"];  // a workload with no replica recorded
  const std::string text = placement::lock_text(p);
  CHECK(text.find("      {\"cards\": [2, 15], \"machine\": \"m-5\", \"replica\": 5},\n") != std::string::npos);
  CHECK(text.find("      {\"cards\": [2, 129], \"machine\": \"m-0\", \"replica\": 119}\n    ],\n") != std::string::npos);
  CHECK(text.find("    \"apps/none\": []\n  }\n}\n") != std::string::npos);
  auto back = placement::parse_lock(text, "claw.lock");
  REQUIRE(back.has_value());
  CHECK(back->workloads == p.workloads);
}

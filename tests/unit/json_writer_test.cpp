// The streaming JSON writer behind placement.json: the same bytes as
// nlohmann::json's dump(2) for the same (key-sorted) document, escapes
// included.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "compiler/emit/json_writer.h"

TEST_CASE("json writer: the same bytes as nlohmann's dump(2), and read back alike") {
  const std::string tricky = std::string("q\"b\\s\n\t\r\b\f") + '\x01' + '\x1f' + "caf\xc3\xa9";
  std::string out;
  claw::emit::JsonWriter j(out);
  j.begin_object();
  j.key("a");
  j.begin_array();
  j.value(1);
  j.value(int64_t{-9000000000});
  j.value(true);
  j.value(tricky);
  j.begin_object();
  j.end_object();
  j.begin_array();
  j.end_array();
  j.end_array();
  j.key("b");
  j.begin_object();
  j.key(tricky);
  j.value("x");
  j.end_object();
  j.key("c");
  j.value(false);
  j.end_object();

  nlohmann::json expected = {{"a", {1, -9000000000LL, true, tricky, nlohmann::json::object(), nlohmann::json::array()}},
                             {"b", {{tricky, "x"}}},
                             {"c", false}};
  CHECK(out == expected.dump(2));
  CHECK(nlohmann::json::parse(out) == expected);
}

// Expected values from k8s.io/apimachinery pkg/api/resource quantity_test.go
// (TestQuantityParse, its invalid list, TestQuantityRoundUp): two texts are
// equal when the API server stores the same value for both.
#include "runtime/plan/quantity.h"

#include <doctest/doctest.h>

#include <string>
#include <utility>

using claw::plan::parse_quantity;
using claw::plan::Quantity;
using claw::plan::quantity_of;
using claw::plan::round_up;
using nlohmann::json;

TEST_CASE("quantity: texts of the same value are equal") {
  const std::pair<const char*, const char*> same[] = {
      {"1Gi", "1024Mi"}, {"1Gi", "1073741824"}, {"0.5", "500m"}, {"1e3", "1k"}, {"1E3", "1k"},
      {"1.5Gi", "1536Mi"}, {"1000m", "1"}, {"0.001T", "1G"}, {"1000u", "1m"}, {"1.2e3", "1200"},
      {"1.3E+6", "1300k"}, {"0.5Ki", "512"}, {"-1000", "-1k"}, {"0", "0Ki"}, {"-0", "0"},
      {"00", "0"}, {"+1", "1"}, {"01", "1"}, {"1.", "1"}, {".5", "500m"}, {"Gi", "0"},
      {"1000E", "1e21"}, {"80e-3", "80m"},
      // finer than nano rounds up
      {"0.0000000001", "1n"}, {"3.001n", "4n"}, {"0.9n", "1n"}, {"-0.0000000001", "-1n"},
      // binary values beyond int64 are capped
      {"9Ei", "9223372036854775807"},
  };
  for (const auto& pair : same) {
    const std::string a = pair.first, b = pair.second;
    CAPTURE(a);
    CAPTURE(b);
    REQUIRE(parse_quantity(a).has_value());
    REQUIRE(parse_quantity(b).has_value());
    CHECK(*parse_quantity(a) == *parse_quantity(b));
  }
}

TEST_CASE("quantity: texts of different values differ") {
  const std::pair<const char*, const char*> different[] = {
      {"1Gi", "1G"}, {"1", "1m"}, {"500m", "0.51"}, {"1Ki", "1k"}, {"-1", "1"}, {"1n", "2n"},
      {"1E", "1Ei"}, {"1e3", "1e4"},
  };
  for (const auto& pair : different) {
    const std::string a = pair.first, b = pair.second;
    CAPTURE(a);
    CAPTURE(b);
    CHECK_FALSE(*parse_quantity(a) == *parse_quantity(b));
  }
}

TEST_CASE("quantity: what is not a quantity") {
  for (const std::string s : {"1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", "", "1e",
                        "1K", "1Mx", "1M5", "1 Gi", " 1"}) {
    CAPTURE(s);
    CHECK_FALSE(parse_quantity(s).has_value());
  }
}

TEST_CASE("quantity: JSON numbers equal their text, strings are trimmed") {
  CHECK(quantity_of(json(1000)) == parse_quantity("1k"));
  CHECK(quantity_of(json(0.5)) == parse_quantity("500m"));
  CHECK(quantity_of(json(1)) == parse_quantity("1"));
  CHECK(quantity_of(json(-2)) == parse_quantity("-2"));
  CHECK(quantity_of(json(" 1Gi ")) == parse_quantity("1024Mi"));
  CHECK_FALSE(quantity_of(json(true)).has_value());
  CHECK_FALSE(quantity_of(json::object()).has_value());
  CHECK_FALSE(quantity_of(json("   ")).has_value());
}

TEST_CASE("quantity: round up to a scale, away from zero") {
  // TestQuantityRoundUp and SetDefaults_ResourceList (RoundUp(-3)).
  const std::pair<const char*, const char*> milli[] = {
      {"100u", "1m"}, {"1n", "1m"}, {"1.0001", "1001m"}, {"-1.0001", "-1001m"}, {"0.0001", "1m"},
      {"1.5Gi", "1536Mi"}, {"250m", "250m"}, {"1e-4", "1m"}, {"0", "0"},
  };
  for (const auto& pair : milli) {
    const std::string text = pair.first, rounded = pair.second;
    CAPTURE(text);
    CHECK(round_up(*parse_quantity(text), -3) == *parse_quantity(rounded));
  }
  CHECK(round_up(*parse_quantity("1.5"), 0) == *parse_quantity("2"));
  CHECK(round_up(*parse_quantity("1.5k"), 3) == *parse_quantity("2k"));
}

TEST_CASE("quantity: values are kept normalised") {
  Quantity q = *parse_quantity("1500m");
  CHECK(q.digits == "15");
  CHECK(q.exp10 == -1);
  CHECK_FALSE(q.negative);
  CHECK(*parse_quantity("-0") == Quantity{});
}

// Expected values come from k8s.io/apimachinery pkg/api/resource/quantity_test.go
// (TestQuantityParseEmit, TestQuantityString's alternates, TestQuantityParse,
// its invalid list, TestQuantityRoundUp, TestJSONWhitespace), turned into the
// text String() returns by the rules of quantity.go.
#include "runtime/sim/quantity.h"

#include <doctest/doctest.h>

using namespace claw::sim;

namespace {
struct Case {
  const char* in;
  const char* out;
};
}  // namespace

TEST_CASE("quantity: canonical form as the API server writes it") {
  const Case cases[] = {
      // TestQuantityParseEmit
      {"1Ki", "1Ki"}, {"1Mi", "1Mi"}, {"1Gi", "1Gi"}, {"1024Mi", "1Gi"}, {"1000M", "1G"},
      {".001Ki", "1024m"}, {".000001Ki", "1024u"}, {".000000001Ki", "1024n"},
      {".000000000001Ki", "2n"}, {"-1024Mi", "-1Gi"}, {"-.001Ki", "-1024m"},
      // TestQuantityString: alternate spellings and their canonical text
      {"307200Ki", "300Mi"}, {"1025024Mi", "1001Gi"}, {"1024Gi", "1Ti"}, {"5000m", "5"},
      {"0.5", "500m"}, {"0.001T", "1G"}, {"1000u", "1m"}, {"1.08", "1080m"},
      {"1080000000n", "1080m"}, {"1000E", "1e21"}, {"5000E", "5e21"}, {".001e12", "1e9"},
      {"0.001e0", "1e-3"}, {"1000e-12", "1e-9"}, {"00", "0"},
      // ... and canonical inputs, returned as they are
      {"1e3", "1e3"}, {"80e-3", "80e-3"}, {"300e6", "300e6"}, {"3k", "3k"}, {"1025", "1025"},
      {"1234567M", "1234567M"}, {"100M", "100M"}, {"1n", "1n"}, {"80u", "80u"},
      // TestQuantityParse values, written as String() writes them: the
      // ones whose shifted digits already have a scale that is a multiple of
      // three come back verbatim (ParseQuantity's `s: str`)
      {"0", "0"}, {"0n", "0"}, {"0Ki", "0"}, {"0Ti", "0"}, {"50k", "50k"}, {"40T", "40T"},
      {"300T", "300T"}, {"100.035k", "100.035k"}, {"0.0005k", "500m"}, {"0.5e0", "500e-3"},
      {"0.5e-1", "50e-3"}, {"10.035M", "10.035M"}, {"1.2e3", "1200"}, {"1.3E+6", "1300e3"},
      {"1.40e9", "1400e6"}, {"1.53E12", "1530e9"}, {"9.01", "9010m"},
      {"7.123456M", "7.123456M"}, {"6.987654321G", "6.987654321G"}, {"5.444T", "5.444T"},
      {"2.5P", "2500T"}, {"1.01E", "1010P"}, {"12E", "12E"}, {"1E", "1E"},
      // rounding up to nano, capping binary values at 2^63-1
      {"3.001n", "4n"}, {"1.1E-9", "2e-9"}, {"0.0000000001", "1n"}, {"0.00000000050", "1n"},
      {"0.9n", "1n"}, {"0.00000012345", "124n"}, {"0.00000012354", "124n"},
      {"9Ei", "9223372036854775807"}, {"9223372036854775807Ki", "9223372036854775807"},
      // fractional binary values
      {"100.035Ki", "102435840m"}, {"0.5Mi", "512Ki"}, {"0.05Gi", "53687091200m"},
      {"0.025Ti", "27487790694400m"}, {"1.5Gi", "1536Mi"}, {"0.5Ki", "512"},
      {"0.000000000001Ki", "2n"}, {".001", "1m"}, {".0001k", "100m"},
      // inputs the fast path keeps verbatim because their digits are canonical
      {"1.", "1."}, {"1.G", "1.G"}, {"+1", "+1"}, {"01", "01"}, {"+1Gi", "+1Gi"},
      // (a digit string with a multiple-of-three scale and no trailing "000")
      {"8.1k", "8100"}, {"Gi", "0"},
      // negatives (TestQuantityNeg) and signed zero
      {"-9.01", "-9010m"}, {"-0", "0"}, {"-1Ki", "-1Ki"}, {"-1024", "-1024"}, {"-1000", "-1k"},
      // TestJSONWhitespace: surrounding space inside the JSON string is trimmed
      {" 1", "1"}, {"1 ", "1"}, {" -1", "-1"},
  };
  for (const Case& c : cases) {
    std::string in = c.in;
    CAPTURE(in);
    auto got = canonical_quantity(Json(c.in));
    REQUIRE(got.has_value());
    CHECK(*got == std::string(c.out));
  }
}

TEST_CASE("quantity: JSON numbers are parsed from their text") {
  CHECK(canonical_quantity(Json(1)) == "1");
  CHECK(canonical_quantity(Json(10)) == "10");
  CHECK(canonical_quantity(Json(-1)) == "-1");
  CHECK(canonical_quantity(Json(1000)) == "1k");
  CHECK(canonical_quantity(Json(0.5)) == "500m");
  CHECK(canonical_quantity(Json(1.5)) == "1500m");
  CHECK(canonical_quantity(Json(0)) == "0");
}

TEST_CASE("quantity: what is not a quantity") {
  const char* invalid[] = {"1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i",
                           "-3.01e-", "", "1e", "1K", "1Mx", "1M5", "1 Gi"};
  for (const char* s : invalid) {
    std::string in = s;
    CAPTURE(in);
    CHECK_FALSE(canonical_quantity(Json(s)).has_value());
  }
  CHECK_FALSE(canonical_quantity(Json(true)).has_value());
  CHECK_FALSE(canonical_quantity(Json::object()).has_value());
  CHECK_FALSE(canonical_quantity(Json::array()).has_value());
}

TEST_CASE("quantity: resource lists round up to milli precision") {
  // core/v1 SetDefaults_ResourceList: val.RoundUp(-3); TestQuantityRoundUp.
  const Case cases[] = {
      {"0.5", "500m"}, {"1000m", "1"}, {"100u", "1m"}, {"1n", "1m"}, {"1.0001", "1001m"},
      {"-1.0001", "-1001m"}, {"9.01", "9010m"}, {"-9.01", "-9010m"}, {"0.0001", "1m"},
      {"+1", "+1"}, {"1.5Gi", "1536Mi"}, {"2.5Gi", "2560Mi"}, {"1.1Ki", "1126400m"},
      {"128Mi", "128Mi"}, {"250m", "250m"}, {"2", "2"}, {"1e-4", "1e-3"}, {"0", "0"},
  };
  for (const Case& c : cases) {
    std::string in = c.in;
    CAPTURE(in);
    auto got = canonical_resource_quantity(Json(c.in));
    REQUIRE(got.has_value());
    CHECK(*got == std::string(c.out));
  }
  CHECK_FALSE(canonical_resource_quantity(Json("1x")).has_value());
}

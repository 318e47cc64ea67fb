// value_size: what the bounds on values count, worked out by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>

#include "compiler/sema/value.h"

namespace claw::sema {
namespace {

Value text(std::string s) {
  Value v;
  v.kind = Value::Kind::String;
  v.s = std::move(s);
  return v;
}

Value list(std::vector<Value> items) {
  Value v;
  v.kind = Value::Kind::List;
  v.items = std::make_shared<std::vector<Value>>(std::move(items));
  seal_size(v);
  return v;
}

TEST_CASE("value_size counts one per value, a string's bytes, a map's keys, and shared parts each time") {
  Value n;
  n.kind = Value::Kind::Int;
  n.i = 123456;
  CHECK(value_size(n) == 1);
  CHECK(value_size(text("")) == 1);
  CHECK(value_size(text("abcd")) == 5);
  Value l = list({text("ab"), n});
  CHECK(value_size(l) == 1 + 3 + 1);
  Value twice = list({l, l});  // shares l's items: counted twice, as the output writes them twice
  CHECK(value_size(twice) == 1 + 5 + 5);
  Value map;
  map.kind = Value::Kind::Map;
  map.items = std::make_shared<std::vector<Value>>(std::vector<Value>{text("v"), twice});
  map.keys = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"key", "k"});
  seal_size(map);
  CHECK(value_size(map) == 1 + 2 + 11 + 3 + 1);
}

TEST_CASE("value_size saturates rather than wraps for a value doubled 70 times") {
  Value v = text("ab");
  for (int i = 0; i < 70; ++i) v = list({v, v});
  CHECK(value_size(v) == static_cast<uint64_t>(INT64_MAX));
  CHECK(size_sum(UINT64_MAX - 1, 5) == UINT64_MAX);
  CHECK(size_sum(2, 3) == 5);
}

}  // namespace
}  // namespace claw::sema

#include "runtime/sim/go_values.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace claw::sim {
namespace {

// strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v prints it: the shortest
// digits, in exponent form when the exponent is < -4 or >= 6
// (strconv/ftoa.go: shortest `%g` uses precision 6 for that decision).
std::string go_float(double f) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  auto e = sci.find('e');
  if (e == std::string::npos) return sci;  // inf / nan
  int exp = std::atoi(sci.c_str() + e + 1);
  if (exp < -4 || exp >= 6) {
    std::string mant = sci.substr(0, e);
    return fmt::format("{}e{}{:02d}", mant, exp < 0 ? '-' : '+', std::abs(exp));
  }
  res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::fixed);
  return std::string(buf, res.ptr);
}

}  // namespace

std::string go_value_string(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "<nil>";
    case Json::value_t::string: return v.get<std::string>();
    case Json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
    case Json::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
    case Json::value_t::number_float: return go_float(v.get<double>());
    case Json::value_t::object: {
      std::string out = "map[";
      bool first = true;
      for (const auto& [k, item] : v.items()) {
        if (!first) out += ' ';
        first = false;
        out += k + ":" + go_value_string(item);
      }
      return out + "]";
    }
    case Json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ' ';
        out += go_value_string(v[i]);
      }
      return out + "]";
    }
    default: return v.dump();
  }
}

std::string go_type_name(const Json& v) {
  if (v.is_object()) return "map[string]interface {}";
  if (v.is_array()) return "[]interface {}";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_number_float()) return "float64";
  if (v.is_number()) return "int64";
  return "<nil>";
}

bool go_equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number() && a.is_number_float() != b.is_number_float()) return false;
  return a == b;
}

}  // namespace claw::sim

#include "runtime/sim/field_validation.h"

#include "runtime/sim/openapi_doc.h"
#include "runtime/sim/registry.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <set>

namespace claw::sim {
namespace {

constexpr std::string_view kObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

// What the parser saw for one value.
enum class Got { Null, Bool, Integer, Float, String, Object, Array };

struct Value {
  Got got;
  std::string literal;  // a number's text
  double number = 0;
};

// The built-in kinds' Go types that decode themselves (custom UnmarshalJSON):
// their JSON type is not the schema's `type`.
bool decodes_itself(std::string_view definition) {
  return definition == "io.k8s.apimachinery.pkg.apis.meta.v1.Time" ||
         definition == "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" ||
         definition == "io.k8s.apimachinery.pkg.runtime.RawExtension" ||
         definition == "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1" ||
         definition == "io.k8s.apimachinery.pkg.util.intstr.IntOrString" ||
         definition == "io.k8s.apimachinery.pkg.api.resource.Quantity";
}

// `v1.DeploymentSpec` from `io.k8s.api.apps.v1.DeploymentSpec`.
std::string go_named_type(std::string_view definition) {
  std::size_t last = definition.rfind('.');
  if (last == std::string_view::npos) return std::string(definition);
  std::size_t pkg = definition.rfind('.', last - 1);
  return std::string(definition.substr(pkg == std::string_view::npos ? 0 : pkg + 1));
}

// `DeploymentSpec` from `io.k8s.api.apps.v1.DeploymentSpec`.
std::string go_struct_name(std::string_view definition) {
  return std::string(definition.substr(definition.rfind('.') + 1));
}

// The Go type a schema node decodes into, as encoding/json names it.
std::string go_type(const SchemaView& s) {
  if (!s.definition_name().empty() && s.type() == "object") return go_named_type(s.definition_name());
  std::string_view t = s.type();
  if (t == "integer") return s.format().empty() ? "int" : std::string(s.format());
  if (t == "number") return "float64";
  if (t == "boolean") return "bool";
  if (t == "string") return "string";
  if (t == "array") return "[]" + go_type(s.items());
  if (t == "object" && s.is_map()) return "map[string]" + go_type(s.map_values());
  return "interface {}";
}

// encoding/json's UnmarshalTypeError value: "string", "number", "number 1.5".
std::string go_value_name(const Value& v, bool numeric_target) {
  switch (v.got) {
    case Got::Bool: return "bool";
    case Got::String: return "string";
    case Got::Object: return "object";
    case Got::Array: return "array";
    case Got::Integer:
    case Got::Float: return numeric_target ? "number " + v.literal : "number";
    case Got::Null: break;
  }
  return "null";
}

bool fits_integer(const Value& v, std::string_view format) {
  if (v.got != Got::Integer) return false;
  if (format == "int32") return v.number >= INT32_MIN && v.number <= INT32_MAX;
  return true;
}

// sigs.k8s.io/json (the strict decoder built on encoding/json): nil when the
// value decodes into the Go field, else the UnmarshalTypeError's value name.
std::optional<std::string> builtin_type_mismatch(const SchemaView& s, const Value& v) {
  if (v.got == Got::Null || decodes_itself(s.definition_name()) || s.is_int_or_string()) return std::nullopt;
  std::string_view t = s.type();
  bool ok = t.empty() || (t == "string" && v.got == Got::String) || (t == "boolean" && v.got == Got::Bool) ||
            (t == "integer" && fits_integer(v, s.format())) ||
            (t == "number" && (v.got == Got::Integer || v.got == Got::Float)) ||
            (t == "object" && v.got == Got::Object) || (t == "array" && v.got == Got::Array);
  if (ok) return std::nullopt;
  return go_value_name(v, t == "integer" || t == "number");
}

// The JSON type name kube-openapi's validator reports.
std::string_view openapi_type_name(const Value& v) {
  switch (v.got) {
    case Got::Bool: return "boolean";
    case Got::String: return "string";
    case Got::Object: return "object";
    case Got::Array: return "array";
    case Got::Integer: return "integer";
    case Got::Float: return "number";
    case Got::Null: break;
  }
  return "null";
}

// kube-openapi pkg/validation/validate type.go: an integral float is an
// integer; int-or-string takes both.
bool crd_type_matches(const SchemaView& s, const Value& v) {
  std::string_view t = s.type();
  if (v.got == Got::Null || t.empty()) return true;
  bool integral = v.got == Got::Integer || (v.got == Got::Float && std::trunc(v.number) == v.number);
  if (s.is_int_or_string()) return integral || v.got == Got::String;
  if (t == "integer") return integral;
  if (t == "number") return v.got == Got::Integer || v.got == Got::Float;
  if (t == "string") return v.got == Got::String;
  if (t == "boolean") return v.got == Got::Bool;
  if (t == "object") return v.got == Got::Object;
  if (t == "array") return v.got == Got::Array;
  return true;
}

// One open object or array while walking.
struct Frame {
  SchemaView schema;
  bool typed = false;     // false: untyped or under an unknown field
  bool custom = false;    // CRD rules (pruning) rather than Go decoding
  bool root = false;
  bool array = false;
  std::string path;       // "spec.containers[0]"
  std::string go_path;    // "spec.containers" (encoding/json has no indices)
  std::string go_struct;  // "Container": the Go struct whose fields these are
  std::size_t index = 0;
  std::string key;
  std::set<std::string, std::less<>> keys;
};

// The child a value event opens or fills.
struct Slot {
  SchemaView schema;
  bool typed = false;
  bool custom = false;
  std::string path, go_path, go_struct, field;
};

class Walker : public nlohmann::json_sax<Json> {
 public:
  Walker(const ResourceType& type, FieldProblems& out) : type_(type), out_(out) {}

  bool null() override { return scalar({Got::Null, "", 0}); }
  bool boolean(bool) override { return scalar({Got::Bool, "", 0}); }
  bool number_integer(number_integer_t v) override {
    return scalar({Got::Integer, std::to_string(v), static_cast<double>(v)});
  }
  bool number_unsigned(number_unsigned_t v) override {
    return scalar({Got::Integer, std::to_string(v), static_cast<double>(v)});
  }
  bool number_float(number_float_t v, const string_t& s) override { return scalar({Got::Float, s, v}); }
  bool string(string_t&) override { return scalar({Got::String, "", 0}); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(false); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    Frame& f = stack_.back();
    if (!f.keys.insert(k).second) note("duplicate", join(f.path, k), out_.duplicate);
    f.key = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    out_.syntax_error = e.what();
    return false;
  }

 private:
  static std::string join(std::string_view path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

  void note(std::string_view what, std::string path, std::vector<std::string>& list) {
    out_.messages.push_back(fmt::format("{} field \"{}\"", what, path));
    list.push_back(std::move(path));
  }

  // The schema of the value the next event carries, reporting an unknown
  // field (sigs.k8s.io/json for built-in kinds; apiextensions-apiserver's
  // pruning, pkg/apiserver/schema/pruning, for CRDs).
  Slot next_slot() {
    Slot s;
    if (stack_.empty()) {
      s.schema = type_.schema;
      s.typed = static_cast<bool>(type_.schema);
      s.custom = type_.custom;
      s.go_struct = type_.kind;
      return s;
    }
    Frame& f = stack_.back();
    s.custom = f.custom;
    if (f.array) {
      s.path = fmt::format("{}[{}]", f.path, f.index++);
      s.go_path = f.go_path;
      s.go_struct = f.go_struct;
      s.field = f.key;
      s.schema = f.typed ? f.schema.items() : SchemaView();
      s.typed = f.typed && static_cast<bool>(s.schema);
      return s;
    }
    s.path = join(f.path, f.key);
    s.go_path = join(f.go_path, f.key);
    s.go_struct = f.go_struct;
    s.field = f.key;
    if (!f.typed) return s;
    if (f.custom && (f.root || f.schema.embedded_resource()) &&
        (f.key == "apiVersion" || f.key == "kind" || f.key == "metadata")) {
      // apiextensions-apiserver: metadata is decoded as ObjectMeta whatever
      // the schema says; apiVersion and kind are always kept.
      if (f.key == "metadata") {
        s.schema = SchemaView::definition(builtin_definitions(), kObjectMeta);
        s.typed = true;
        s.custom = false;
      }
    } else if (SchemaView p = f.schema.property(f.key)) {
      s.schema = p;
      s.typed = true;
    } else if (f.schema.is_map()) {
      s.schema = f.schema.map_values();
      s.typed = static_cast<bool>(s.schema);
    } else if (!f.schema.preserves_unknown_fields() && (f.custom || f.schema.has_properties())) {
      note("unknown", s.path, out_.unknown);
    }
    return s;
  }

  void check_type(const Slot& s, const Value& v) {
    if (!s.typed) return;
    if (s.custom) {
      if (crd_type_matches(s.schema, v)) return;
      std::string expected = s.schema.is_int_or_string() ? "integer,string" : std::string(s.schema.type());
      std::string_view actual = openapi_type_name(v);
      out_.crd_type_errors.push_back(
          {"FieldValueTypeInvalid",
           fmt::format("Invalid value: \"{}\": {} in body must be of type {}: \"{}\"", actual, s.path, expected, actual),
           s.path});
      return;
    }
    if (out_.type_error || s.path.empty()) return;
    if (std::optional<std::string> got = builtin_type_mismatch(s.schema, v)) {
      out_.type_error = fmt::format("json: cannot unmarshal {} into Go struct field {}.{} of type {}", *got, s.go_struct,
                                    s.go_path, go_type(s.schema));
    }
  }

  bool scalar(const Value& v) {
    check_type(next_slot(), v);
    return true;
  }

  bool open(bool array) {
    Slot s = next_slot();
    Value v{array ? Got::Array : Got::Object, "", 0};
    bool fits = !s.typed || (s.custom ? crd_type_matches(s.schema, v) : !builtin_type_mismatch(s.schema, v));
    check_type(s, v);
    Frame f;
    f.schema = s.schema;
    f.typed = s.typed && fits;
    f.custom = s.custom;
    f.root = stack_.empty();
    f.array = array;
    f.path = s.path;
    f.go_path = s.go_path;
    f.go_struct = s.go_struct;
    f.key = s.field;
    if (!array && !s.schema.definition_name().empty()) f.go_struct = go_struct_name(s.schema.definition_name());
    stack_.push_back(std::move(f));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  const ResourceType& type_;
  FieldProblems& out_;
  std::vector<Frame> stack_;
};

// strconv.Quote for the warning text (ASCII subset: quotes and backslashes).
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

FieldProblems check_fields(const ResourceType& type, std::string_view body_json) {
  FieldProblems out;
  Walker walker(type, out);
  Json::sax_parse(body_json.begin(), body_json.end(), &walker);
  return out;
}

// k8s.io/apimachinery pkg/runtime/error.go strictDecodingError.Error().
std::string strict_decoding_message(const FieldProblems& problems) {
  std::string out = "strict decoding error: ";
  for (std::size_t i = 0; i < problems.messages.size(); ++i) {
    if (i > 0) out += ", ";
    out += problems.messages[i];
  }
  return out;
}

// k8s.io/apiserver pkg/endpoints/handlers/rest.go transformDecodeError.
std::string decode_error_message(const ResourceType& type, std::string_view error) {
  return fmt::format("{} in version \"{}\" cannot be handled as a {}: {}", type.kind, type.version, type.kind, error);
}

// k8s.io/apiserver pkg/endpoints/handlers/rest.go addStrictDecodingWarnings
// and pkg/endpoints/filters/warning.go (code 299, agent "-").
std::vector<std::string> warning_headers(const FieldProblems& problems) {
  std::vector<std::string> out;
  for (const std::string& m : problems.messages) out.push_back("299 - " + go_quote(m));
  return out;
}

}  // namespace claw::sim

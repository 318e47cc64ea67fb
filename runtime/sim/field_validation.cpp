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
  if (t.empty()) return true;
  if (v.got == Got::Null) return s.raw().value("nullable", false) || s.default_value() != nullptr;
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
  int meta_rank = 1;      // CRD pruning order: 0 root metadata, 1 other, 2 embedded metadata
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
  bool item = false;  // a list element
  int meta_rank = 1;
  std::string path, go_path, go_struct, field;
};

class Walker : public nlohmann::json_sax<Json> {
 public:
  Walker(const ResourceType& type, FieldProblems& out, std::vector<std::size_t> key_lines)
      : type_(type), out_(out), key_lines_(std::move(key_lines)) {}

  // The strict-decoding messages in the real order: a typed decode reports
  // as it reads; a CRD's decode reports its duplicates, then the unknown
  // fields its metadata decode and its pruning find (pruning walks sorted
  // keys; embedded objects' metadata last).
  void finish() {
    if (type_.custom) {
      std::ranges::stable_sort(problems_, [](const Problem& a, const Problem& b) {
        if (a.what != b.what) return a.what == Problem::Duplicate;
        if (a.what == Problem::Duplicate) return false;
        if (a.rank != b.rank) return a.rank < b.rank;
        return split_path(a.path) < split_path(b.path);
      });
    }
    for (const Problem& p : problems_) {
      out_.messages.push_back(fmt::format("{} field \"{}\"", p.what == Problem::Duplicate ? "duplicate" : "unknown", p.path));
    }
  }

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
    std::size_t line = key_lines_.size() > keys_seen_ ? key_lines_[keys_seen_] : 0;
    ++keys_seen_;
    f.key = k;
    if (f.keys.insert(k).second) return true;
    std::string path = join(f.path, k);
    out_.yaml_duplicates.push_back(fmt::format("line {}: key \"{}\" already set in map", line, k));
    // A typed decode reports a key that is both unknown and repeated once,
    // as unknown (test/integration/apiserver/field_validation_test.go).
    if (!f.custom && std::ranges::find(out_.unknown, path) != out_.unknown.end()) return true;
    problems_.push_back({Problem::Duplicate, path, 0});
    out_.duplicate.push_back(path);
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

  void note_unknown(const std::string& path, int rank) {
    if (std::ranges::find(out_.unknown, path) != out_.unknown.end()) return;
    problems_.push_back({Problem::Unknown, path, rank});
    out_.unknown.push_back(path);
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
    s.meta_rank = f.meta_rank;
    if (f.array) {
      s.path = fmt::format("{}[{}]", f.path, f.index++);
      s.go_path = f.go_path;
      s.go_struct = f.go_struct;
      s.field = f.key;
      s.item = true;
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
        s.meta_rank = f.root ? 0 : 2;
      }
    } else if (SchemaView p = f.schema.property(f.key)) {
      s.schema = p;
      s.typed = true;
    } else if (f.schema.is_map()) {
      s.schema = f.schema.map_values();
      s.typed = static_cast<bool>(s.schema);
    } else if (!f.schema.preserves_unknown_fields() && (f.custom || f.schema.has_properties())) {
      note_unknown(s.path, f.meta_rank);
    }
    return s;
  }

  void check_type(const Slot& s, const Value& v) {
    if (!s.typed) return;
    if (s.custom) {
      // A null field that is not nullable and has no default is dropped
      // before validation (apiextensions-apiserver schema/defaulting/
      // prunenulls.go); a null list element stays and fails.
      if (v.got == Got::Null && !s.item) return;
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
    f.meta_rank = s.meta_rank;
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

  struct Problem {
    enum What { Duplicate, Unknown } what;
    std::string path;
    int rank;
  };

  static std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
      std::size_t dot = path.find('.', start);
      out.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
      if (dot == std::string_view::npos) return out;
      start = dot + 1;
    }
  }

  const ResourceType& type_;
  FieldProblems& out_;
  std::vector<std::size_t> key_lines_;
  std::size_t keys_seen_ = 0;
  std::vector<Problem> problems_;
  std::vector<Frame> stack_;
};

// The line of each object key of a JSON text, in order (the YAML decoder
// that apply uses reports duplicate keys by line).
std::vector<std::size_t> key_lines(std::string_view text) {
  std::vector<std::size_t> lines;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text[i] != '"') continue;
    std::size_t start_line = line;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') ++i;
    }
    std::size_t j = i + 1;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
    if (j < text.size() && text[j] == ':') lines.push_back(start_line);
  }
  return lines;
}

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
  Walker walker(type, out, key_lines(body_json));
  Json::sax_parse(body_json.begin(), body_json.end(), &walker);
  walker.finish();
  return out;
}

// k8s.io/apiserver pkg/endpoints/handlers/patch.go: the patch is decoded
// into a map (duplicates), applied, and the result decoded strictly.
FieldProblems check_patch_fields(const ResourceType& type, std::string_view patch_body, const Json& patched) {
  ResourceType untyped;
  FieldProblems patch = check_fields(untyped, patch_body);
  if (patch.syntax_error) return patch;
  FieldProblems out = check_fields(type, patched.dump());
  out.duplicate = patch.duplicate;
  out.yaml_duplicates = patch.yaml_duplicates;
  std::vector<std::string> messages = patch.messages;
  messages.insert(messages.end(), out.messages.begin(), out.messages.end());
  out.messages = std::move(messages);
  return out;
}

// k8s.io/apiserver pkg/endpoints/handlers/patch.go applyPatcher (the YAML
// decoder is sigs.k8s.io/yaml over go-yaml).
std::string apply_strict_message(const FieldProblems& problems) {
  std::string out = "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:";
  for (const std::string& d : problems.yaml_duplicates) out += "\n  " + d;
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
std::vector<std::string> warning_headers(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const std::string& m : texts) out.push_back("299 - " + go_quote(m));
  return out;
}

std::vector<std::string> warning_headers(const FieldProblems& problems) { return warning_headers(problems.messages); }

}  // namespace claw::sim

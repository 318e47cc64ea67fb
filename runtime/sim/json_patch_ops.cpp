#include "runtime/sim/json_patch_ops.h"

#include "runtime/sim/go_values.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <vector>

// Every function here mirrors one of evanphx/json-patch v4 patch.go; a JSON
// null member plays the role of v4's nil *lazyNode.

namespace claw::sim {
namespace {

using std::unexpected;
using Result = std::expected<void, std::string>;

// strconv.Atoi: an optional sign and decimal digits.
std::optional<long long> atoi_go(const std::string& s) {
  std::string_view digits = s;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  long long v = 0;
  auto res = std::from_chars(s.data() + (s[0] == '+' ? 1 : 0), s.data() + s.size(), v);
  if (res.ec != std::errc()) return std::nullopt;
  return v;
}

// decodePatchKey (RFC 6901 unescaping).
std::string decode_key(std::string_view k) {
  std::string out;
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i] == '~' && i + 1 < k.size() && (k[i + 1] == '1' || k[i + 1] == '0')) {
      out += k[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += k[i];
    }
  }
  return out;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return parts;
    start = slash + 1;
  }
}

std::string invalid_index(long long idx) { return fmt::format("Unable to access invalid index: {}", idx); }

// container.get: a member (null when missing) or a list item.
std::expected<Json, std::string> get(const Json& con, const std::string& key) {
  if (con.is_object()) {
    auto it = con.find(key);
    return it == con.end() ? Json(nullptr) : *it;
  }
  auto idx = atoi_go(key);
  if (!idx) return unexpected(fmt::format("strconv.Atoi: parsing \"{}\": invalid syntax", key));
  long long n = static_cast<long long>(con.size());
  long long i = *idx;
  if (i < 0) {
    if (i < -n) return unexpected(invalid_index(i));
    i += n;
  }
  if (i >= n) return unexpected(invalid_index(i));
  return con[static_cast<std::size_t>(i)];
}

// findObject: the container holding the path's last token, and that token.
std::optional<std::pair<Json*, std::string>> find_object(Json& doc, const std::string& path) {
  std::vector<std::string> split = split_path(path);
  if (split.size() < 2) return std::nullopt;
  Json* cur = &doc;
  for (std::size_t i = 1; i + 1 < split.size(); ++i) {
    std::string part = decode_key(split[i]);
    Json* next = nullptr;
    if (cur->is_object()) {
      auto it = cur->find(part);
      if (it != cur->end()) next = &*it;
    } else {
      auto got = get(*cur, part);
      if (got) {
        long long n = static_cast<long long>(cur->size());
        long long idx = *atoi_go(part);
        next = &(*cur)[static_cast<std::size_t>(idx < 0 ? idx + n : idx)];
      }
    }
    if (next == nullptr || next->is_null() || !(next->is_object() || next->is_array())) return std::nullopt;
    cur = next;
  }
  return std::pair<Json*, std::string>{cur, decode_key(split.back())};
}

// container.add
Result add_to(Json& con, const std::string& key, Json val) {
  if (con.is_object()) {
    con[key] = std::move(val);
    return {};
  }
  if (key == "-") {
    con.push_back(std::move(val));
    return {};
  }
  auto idx = atoi_go(key);
  if (!idx) return unexpected(fmt::format("value was not a proper array index: '{}'", key));
  long long size = static_cast<long long>(con.size()) + 1;
  long long i = *idx;
  if (i >= size) return unexpected(invalid_index(i));
  if (i < 0) {
    if (i < -size) return unexpected(invalid_index(i));
    i += size;
  }
  con.insert(con.begin() + i, std::move(val));
  return {};
}

// container.remove
Result remove_from(Json& con, const std::string& key) {
  if (con.is_object()) {
    if (con.erase(key) == 0) return unexpected(fmt::format("Unable to remove nonexistent key: {}", key));
    return {};
  }
  auto idx = atoi_go(key);
  if (!idx) return unexpected(fmt::format("strconv.Atoi: parsing \"{}\": invalid syntax", key));
  long long n = static_cast<long long>(con.size());
  long long i = *idx;
  if (i >= n) return unexpected(invalid_index(i));
  if (i < 0) {
    if (i < -n) return unexpected(invalid_index(i));
    i += n;
  }
  con.erase(con.begin() + i);
  return {};
}

// lazyNode.equal: structural, scalars by type and value.
bool equal(const Json& a, const Json& b) {
  if (a.is_object() != b.is_object() || a.is_array() != b.is_array()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, v] : a.items()) {
      auto it = b.find(k);
      if (it == b.end() || !equal(v, *it)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!equal(a[i], b[i])) return false;
    }
    return true;
  }
  return go_equal(a, b);
}

// An operation's string field ("op", "path", "from"), if it is one.
std::optional<std::string> string_field(const Json& op, const char* name) {
  auto it = op.find(name);
  if (it == op.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// Operation.value(): absent is v4's nil node, here null.
Json value_of(const Json& op) { return op.contains("value") ? op.at("value") : Json(nullptr); }
bool has_value(const Json& op) { return op.contains("value") && !op.at("value").is_null(); }

Result op_add(Json& doc, const Json& op) {
  auto path = string_field(op, "path");
  if (!path) return unexpected("add operation failed to decode path: missing value");
  auto target = find_object(doc, *path);
  if (!target) return unexpected(fmt::format("add operation does not apply: doc is missing path: \"{}\"", *path));
  return add_to(*target->first, target->second, value_of(op));
}

Result op_remove(Json& doc, const Json& op) {
  auto path = string_field(op, "path");
  if (!path) return unexpected("remove operation failed to decode path: missing value");
  auto target = find_object(doc, *path);
  if (!target) return unexpected(fmt::format("remove operation does not apply: doc is missing path: \"{}\"", *path));
  return remove_from(*target->first, target->second);
}

Result op_replace(Json& doc, const Json& op) {
  auto path = string_field(op, "path");
  if (!path) return unexpected("replace operation failed to decode path");
  Json value = value_of(op);
  if (path->empty()) {
    if (!value.is_object() && !value.is_array()) return unexpected("replace operation value must be object or array");
    doc = std::move(value);
    return {};
  }
  auto target = find_object(doc, *path);
  if (!target) return unexpected(fmt::format("replace operation does not apply: doc is missing path: {}", *path));
  auto& [con, key] = *target;
  if (auto got = get(*con, key); !got) {
    return unexpected(fmt::format("replace operation does not apply: doc is missing key: {}", *path));
  }
  if (con->is_object()) {
    (*con)[key] = std::move(value);
  } else {
    long long n = static_cast<long long>(con->size());
    long long idx = *atoi_go(key);
    (*con)[static_cast<std::size_t>(idx < 0 ? idx + n : idx)] = std::move(value);
  }
  return {};
}

Result op_move(Json& doc, const Json& op) {
  auto from = string_field(op, "from");
  if (!from) return unexpected("move operation failed to decode from");
  auto source = find_object(doc, *from);
  if (!source) return unexpected(fmt::format("move operation does not apply: doc is missing from path: {}", *from));
  auto val = get(*source->first, source->second);
  if (!val) return unexpected(val.error());
  if (auto r = remove_from(*source->first, source->second); !r) return r;
  auto path = string_field(op, "path");
  if (!path) return unexpected("move operation failed to decode path");
  auto target = find_object(doc, *path);
  if (!target) {
    return unexpected(fmt::format("move operation does not apply: doc is missing destination path: {}", *path));
  }
  return add_to(*target->first, target->second, std::move(*val));
}

Result op_test(Json& doc, const Json& op) {
  auto path = string_field(op, "path");
  if (!path) return unexpected("test operation failed to decode path");
  auto failed = unexpected(fmt::format("testing value {} failed", *path));
  if (path->empty()) {
    if (equal(doc, value_of(op))) return {};
    return failed;
  }
  auto target = find_object(doc, *path);
  if (!target) return unexpected(fmt::format("test operation does not apply: is missing path: {}", *path));
  auto val = get(*target->first, target->second);
  if (!val) return unexpected(val.error());
  if (val->is_null()) return has_value(op) ? Result(failed) : Result();
  if (!op.contains("value")) return failed;
  return equal(*val, op.at("value")) ? Result() : Result(failed);
}

Result op_copy(Json& doc, const Json& op) {
  auto from = string_field(op, "from");
  if (!from) return unexpected("copy operation failed to decode from");
  auto source = find_object(doc, *from);
  if (!source) return unexpected(fmt::format("copy operation does not apply: doc is missing from path: {}", *from));
  auto val = get(*source->first, source->second);
  if (!val) return unexpected(val.error());
  auto path = string_field(op, "path");
  if (!path) return unexpected("copy operation failed to decode path");
  auto target = find_object(doc, *path);
  if (!target) {
    return unexpected(fmt::format("copy operation does not apply: doc is missing destination path: {}", *path));
  }
  return add_to(*target->first, target->second, std::move(*val));
}

}  // namespace

std::expected<Json, std::string> apply_json_patch_ops(Json doc, const Json& ops) {
  for (const Json& op : ops) {
    std::string kind = op.is_object() ? string_field(op, "op").value_or("unknown") : "unknown";
    Result r;
    if (kind == "add") {
      r = op_add(doc, op);
    } else if (kind == "remove") {
      r = op_remove(doc, op);
    } else if (kind == "replace") {
      r = op_replace(doc, op);
    } else if (kind == "move") {
      r = op_move(doc, op);
    } else if (kind == "test") {
      r = op_test(doc, op);
    } else if (kind == "copy") {
      r = op_copy(doc, op);
    } else {
      r = unexpected(fmt::format("Unexpected kind: {}", kind));
    }
    if (!r) return unexpected(r.error());
  }
  return doc;
}

}  // namespace claw::sim

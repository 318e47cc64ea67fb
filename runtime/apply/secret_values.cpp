#include "runtime/apply/secret_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <variant>

#include "compiler/emit/safe_text.h"
#include "compiler/emit/yaml_doc.h"
#include "runtime/cluster/pem.h"
#include "runtime/plan/fields_v1.h"

namespace claw::apply {

namespace {

using nlohmann::json;
using Item = emit::SecretSource::Item;

/// A name or path from the program, as one line between backticks.
std::string ticked(std::string_view text) { return "`" + emit::comment_safe(text) + "`"; }

SecretError error_of(const Item& item, const std::string& what) {
  return {item.secret, item.span, fmt::format("secret {}: {}", ticked(item.secret), what)};
}

// An empty value counts as a missing one: `export DB_PASSWORD=` or an empty
// file is a source not filled in, and a Secret made from it would start a
// workload with an empty password (issue 12: a secret whose source is
// missing is an error naming the secret and the source).

/// The variable's value, exactly as the environment holds it.
std::expected<std::string, SecretError> read_env(const Item& item, const std::string& name, const ValueSources& sources) {
  auto value = sources.env.get(name);
  if (!value)
    return std::unexpected(error_of(
        item, fmt::format("environment variable {} is not set; set it where claw runs", emit::comment_safe(name))));
  if (value->empty())
    return std::unexpected(error_of(
        item, fmt::format("environment variable {} is empty; set it to the secret's value", emit::comment_safe(name))));
  return std::move(*value);
}

/// The file's bytes, exactly: no newline trimmed, as `kubectl create secret
/// generic --from-file` takes "the file content".
std::expected<std::string, SecretError> read_file(const Item& item, const std::string& written,
                                                  const ValueSources& sources) {
  const std::string path = io::join_path(sources.folder_of ? sources.folder_of(item.span) : ".", written);
  auto bytes = sources.fs.read(path, kMaxSecretBytes);
  if (!bytes && bytes.error().kind == io::ReadError::Kind::TooLarge)
    return std::unexpected(error_of(
        item, fmt::format("file {} is {} bytes, more than the {} bytes (1 MiB) a Kubernetes Secret holds", ticked(path),
                          bytes.error().size, kMaxSecretBytes)));
  if (!bytes)
    return std::unexpected(error_of(item, fmt::format("file {} cannot be read: {}", ticked(path), bytes.error().message)));
  if (bytes->empty())
    return std::unexpected(error_of(item, fmt::format("file {} is empty; put the secret's value in it", ticked(path))));
  return std::move(*bytes);
}

/// A declared secret's value: its environment variable's value or its
/// file's bytes, exactly.
std::expected<std::string, SecretError> read_value(const Item& item, const ValueSources& sources) {
  if (item.env) return read_env(item, *item.env, sources);
  if (item.file) return read_file(item, *item.file, sources);
  return std::unexpected(error_of(item, "no source: write `from = env(\"NAME\")` or `from = file(\"PATH\")`"));
}

/// One step of a chart value path: a map key or a list index.
using Step = std::variant<std::string, size_t>;

/// `grafana.adminPassword` → [grafana, adminPassword]; `a.list[0]` →
/// [a, list, 0] (emit::SecretValue::dotted's spelling); nothing when it is
/// not of that form.
std::optional<std::vector<Step>> parse_path(std::string_view dotted) {
  std::vector<Step> steps;
  size_t at = 0;
  while (at <= dotted.size()) {
    size_t end = dotted.find_first_of(".[", at);
    if (end == std::string_view::npos) end = dotted.size();
    if (end == at) return std::nullopt;  // an empty key
    steps.emplace_back(std::string(dotted.substr(at, end - at)));
    at = end;
    while (at < dotted.size() && dotted[at] == '[') {
      size_t close = dotted.find(']', at);
      if (close == std::string_view::npos || close == at + 1) return std::nullopt;
      size_t index = 0;
      auto [ptr, ec] = std::from_chars(dotted.data() + at + 1, dotted.data() + close, index);
      if (ec != std::errc() || ptr != dotted.data() + close) return std::nullopt;
      // The items before it are written too: a list that long could not
      // fit in a Secret, and is not made.
      if (index >= kMaxSecretBytes) return std::nullopt;
      steps.emplace_back(index);
      at = close + 1;
    }
    if (at == dotted.size()) return steps;
    if (dotted[at] != '.') return std::nullopt;
    ++at;
  }
  return std::nullopt;
}

/// The node at `steps` under `root`, made (maps, lists padded with nulls)
/// where missing; nullptr when the path runs through a value already set.
emit::yaml::Node* place(emit::yaml::Node& root, const std::vector<Step>& steps) {
  using Kind = emit::yaml::Node::Kind;
  emit::yaml::Node* node = &root;
  for (const Step& step : steps) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (node->kind != Kind::Map && node->kind != Kind::Null) return nullptr;
      node = &(*node)[*key];
    } else {
      size_t index = std::get<size_t>(step);
      if (node->kind != Kind::Seq && node->kind != Kind::Null) return nullptr;
      node->kind = Kind::Seq;
      if (node->items.size() <= index) node->items.resize(index + 1);
      node = &node->items[index];
    }
  }
  return node->kind == Kind::Null ? node : nullptr;
}

/// Whether `s` is UTF-8 text, which a YAML document must be (YAML 1.2 §5.2).
bool is_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    emit::Utf8Char ch = emit::utf8_at(s, i);
    if (ch.cp < 0) return false;
    i += ch.len;
  }
  return true;
}

/// A chart value's declared secret, or why there is none.
std::expected<const Item*, SecretError> chart_item(const std::string& path, const std::string& secret,
                                                   const SecretLookup& lookup) {
  const Item* item = lookup ? lookup(secret) : nullptr;
  if (!item)
    return std::unexpected(SecretError{
        secret, {},
        fmt::format("chart value {} names secret {}, which is not declared; declare it: `secret {} {{ from = "
                    "env(\"NAME\") }}`",
                    ticked(path), ticked(secret), emit::comment_safe(secret))});
  return item;
}

/// A chart value's secret's value, as YAML text holds it.
std::expected<std::string, SecretError> chart_value(const std::string& path, const Item& item,
                                                    const ValueSources& sources) {
  auto value = read_value(item, sources);
  if (value && !is_utf8(*value))
    return std::unexpected(error_of(
        item, fmt::format("its value is not UTF-8 text, which chart value {} needs (Helm values are YAML)", ticked(path))));
  return value;
}

/// A JSON value (a chart list written by claw build) as a YAML node.
emit::yaml::Node node_of_json(const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      emit::yaml::Node out = emit::yaml::map_node();
      for (const auto& [k, v] : j.items()) out.entries.emplace_back(k, node_of_json(v));
      return out;
    }
    case json::value_t::array: {
      emit::yaml::Node out = emit::yaml::seq_node();
      for (const auto& v : j) out.items.push_back(node_of_json(v));
      return out;
    }
    case json::value_t::string: return emit::yaml::str(j.get<std::string>());
    case json::value_t::boolean: return emit::yaml::Node(j.get<bool>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return emit::yaml::Node::plain(j.dump());
    default: return emit::yaml::Node();
  }
}

/// The `values.yaml` of a chart's values Secret: each list that holds
/// secrets set whole, then each path set to its secret's value, as a
/// string, in claw's YAML layout (keys sorted).
std::expected<std::string, SecretError> values_document(const emit::SecretSource& source, const SecretLookup& lookup,
                                                        const ValueSources& sources) {
  emit::yaml::Node root = emit::yaml::map_node();
  for (const auto& [path, text] : source.chart_lists) {
    json list = json::parse(text, nullptr, false);
    auto steps = parse_path(path);
    emit::yaml::Node* node = steps && list.is_array() ? place(root, *steps) : nullptr;
    if (!node)
      return std::unexpected(SecretError{
          "", {}, fmt::format("chart list {} cannot be placed in the chart's values; run `claw plan` again", ticked(path))});
    *node = node_of_json(list);
  }
  for (const auto& [path, secret] : source.chart_values) {
    auto item = chart_item(path, secret, lookup);
    if (!item) return std::unexpected(std::move(item.error()));
    auto value = chart_value(path, **item, sources);
    if (!value) return std::unexpected(std::move(value.error()));
    auto steps = parse_path(path);
    emit::yaml::Node* node = steps ? place(root, *steps) : nullptr;
    if (!node)
      return std::unexpected(error_of(
          **item, fmt::format("chart value {} cannot be placed in the chart's values: it is not a path of keys and "
                              "[index] steps, or another value already holds it or a part of it",
                              ticked(path))));
    *node = emit::yaml::str(*value);
  }
  std::string text;
  emit::yaml::append(text, root);
  return text;
}

/// Refuses data of `bytes` bytes when a Secret cannot hold that much;
/// `what` names them ("secret `db`: its values come to").
std::expected<void, SecretError> check_size(size_t bytes, const std::string& what, const std::string& secret,
                                            source::Span span) {
  if (bytes <= kMaxSecretBytes) return {};
  return std::unexpected(SecretError{
      secret, span,
      fmt::format("{} {} bytes, more than the {} bytes (1 MiB) a Kubernetes Secret holds", what, bytes,
                  kMaxSecretBytes)});
}

std::expected<json, SecretError> items_data(const std::vector<Item>& items, const ValueSources& sources) {
  json data = json::object();
  size_t total = 0;
  for (const Item& item : items) {
    auto value = read_value(item, sources);
    if (!value) return std::unexpected(std::move(value.error()));
    total += value->size();
    if (auto fits = check_size(total, fmt::format("secret {}: its values come to", ticked(item.secret)), item.secret, item.span);
        !fits)
      return std::unexpected(std::move(fits.error()));
    data[item.key] = cluster::encode_base64(*value);
  }
  return data;
}

std::expected<json, SecretError> chart_data(const emit::SecretSource& source, const SecretLookup& lookup,
                                            const ValueSources& sources) {
  auto text = values_document(source, lookup, sources);
  if (!text) return std::unexpected(std::move(text.error()));
  // The values of several secrets: named by their value paths.
  std::string paths;
  for (const auto& [path, secret] : source.chart_values) paths += (paths.empty() ? "" : ", ") + ticked(path);
  const std::string& first = source.chart_values.front().second;
  const Item* item = lookup(first);
  if (auto fits = check_size(text->size(), fmt::format("chart values {}: their values.yaml comes to", paths),
                             first, item ? item->span : source::Span{});
      !fits)
    return std::unexpected(std::move(fits.error()));
  return json{{"values.yaml", cluster::encode_base64(*text)}};
}

/// The problems of one Secret's sources, each value read and dropped.
void check_one(const emit::SecretSource& source, const SecretLookup& lookup, const ValueSources& sources,
               std::vector<SecretError>& out) {
  size_t before = out.size();
  for (const Item& item : source.items)
    if (auto value = read_value(item, sources); !value) out.push_back(std::move(value.error()));
  for (const auto& [path, secret] : source.chart_values) {
    auto item = chart_item(path, secret, lookup);
    if (!item) out.push_back(std::move(item.error()));
    else if (auto value = chart_value(path, **item, sources); !value) out.push_back(std::move(value.error()));
  }
  // What only the whole Secret shows: its size, a clash of value paths.
  if (out.size() == before)
    if (auto data = secret_data(source, lookup, sources); !data) out.push_back(std::move(data.error()));
}

/// The field path `data.<key>`.
plan::FieldPath data_path(const std::string& key) {
  plan::PathElement data, field;
  data.name = "data";
  field.name = key;
  return {data, field};
}

/// The `data` keys of a fieldsV1 trie.
std::set<std::string> data_keys(const json& fields_v1) {
  std::set<std::string> keys;
  auto set = plan::parse_fields_v1(fields_v1);
  if (!set) return keys;
  for (const auto& path : *set)
    if (path.size() == 2 && path[0] == "f:data" && path[1].starts_with("f:")) keys.insert(path[1].substr(2));
  return keys;
}

/// The `data` keys server-side apply removes when claw's next apply leaves
/// them out: those claw applied last time that no other field manager (nor
/// claw through another operation) owns. "If the field is not owned by any
/// other field managers, it is either deleted from the live object or reset
/// to its default value" (kubernetes.io, Server-Side Apply, Field
/// management).
std::set<std::string> keys_claw_alone_owns(const json& live) {
  const json* mine = plan::applied_fields(live, plan::kClawManager);
  if (!mine) return {};
  std::set<std::string> keys = data_keys(*mine);
  // applied_fields found managedFields an array of objects.
  for (const json& entry : live["metadata"]["managedFields"])
    if (entry.is_object() && entry.contains("fieldsV1") && &entry["fieldsV1"] != mine)
      for (const auto& key : data_keys(entry["fieldsV1"])) keys.erase(key);
  return keys;
}

/// Whether live base64 `live_value` holds other bytes than desired base64
/// `desired` (compared decoded: base64 spellings of the same bytes differ
/// only in line breaks, which Go's decoder skips).
bool value_differs(const json& live_value, const std::string& desired) {
  if (!live_value.is_string()) return true;
  const auto& text = live_value.get_ref<const std::string&>();
  if (text == desired) return false;
  auto live_bytes = cluster::decode_base64(text);
  return !live_bytes || live_bytes != cluster::decode_base64(desired);
}

}  // namespace

std::vector<Item> declared_secrets(const sema::Model& model) {
  std::vector<Item> items;
  items.reserve(model.secrets.size());
  for (const auto& s : model.secrets) items.push_back({s.key, s.env, s.file, s.name, s.span});
  return items;
}

SecretLookup lookup_of(std::vector<Item> items) {
  return [items = std::move(items)](std::string_view name) -> const Item* {
    auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.secret == name; });
    return it == items.end() ? nullptr : &*it;
  };
}

FolderOf declaration_folder(const source::SourceManager& sources) {
  return [&sources](const source::Span& span) -> std::string {
    if (!span.valid() || span.file.value >= sources.size()) return ".";
    return io::parent_dir(sources.file(span.file).path());
  };
}

std::expected<json, SecretError> secret_data(const emit::SecretSource& source, const SecretLookup& lookup,
                                             const ValueSources& sources) {
  if (!source.chart_values.empty()) return chart_data(source, lookup, sources);
  return items_data(source.items, sources);
}

std::vector<SecretError> check_secret_sources(const std::vector<emit::Object>& objects, const SecretLookup& lookup,
                                              const ValueSources& sources) {
  std::vector<SecretError> errors;
  std::set<std::string> seen;  // messages: a secret made in several namespaces is one problem
  for (const auto& o : objects) {
    if (!o.secret) continue;
    std::vector<SecretError> found;
    check_one(*o.secret, lookup, sources, found);
    for (auto& e : found) {
      // An undeclared secret of a chart's values: the chart is the place.
      if (!e.span.valid()) e.span = o.span;
      if (seen.insert(e.message).second) errors.push_back(std::move(e));
    }
  }
  return errors;
}

std::expected<std::vector<plan::FieldChange>, SecretError> secret_changes(const emit::SecretSource& source,
                                                                          const SecretLookup& lookup,
                                                                          const ValueSources& sources,
                                                                          const json& live) {
  auto desired = secret_data(source, lookup, sources);
  if (!desired) return std::unexpected(std::move(desired.error()));
  static const json kEmpty = json::object();
  const json& live_data = live.contains("data") && live["data"].is_object() ? live["data"] : kEmpty;
  const json sensitive = std::string(plan::kSensitive);
  std::map<std::string, plan::FieldChange> changes;  // by key: in key order
  for (const auto& [key, value] : desired->items()) {
    auto it = live_data.find(key);
    if (it == live_data.end()) changes[key] = {data_path(key), std::nullopt, sensitive};
    else if (value_differs(*it, value.get<std::string>())) changes[key] = {data_path(key), sensitive, sensitive};
  }
  for (const auto& key : keys_claw_alone_owns(live))
    if (!desired->contains(key) && live_data.contains(key)) changes[key] = {data_path(key), sensitive, std::nullopt};
  std::vector<plan::FieldChange> out;
  out.reserve(changes.size());
  for (auto& [key, change] : changes) out.push_back(std::move(change));
  return out;
}

std::expected<bool, SecretError> secret_differs(const emit::SecretSource& source, const SecretLookup& lookup,
                                                const ValueSources& sources, const json& live) {
  auto changes = secret_changes(source, lookup, sources, live);
  if (!changes) return std::unexpected(std::move(changes.error()));
  return !changes->empty();
}

}  // namespace claw::apply

#include "runtime/plan/lookup.h"

#include <map>
#include <tuple>
#include <unordered_map>

#include "runtime/plan/field_diff.h"

namespace claw::plan {

namespace {

using nlohmann::json;

cluster::Request get_request(const Wanted& w) {
  return {"GET", cluster::object_path(*w.info, w.namespace_, w.name), "", "", true};
}

/// A GET's answer as a Found.
Found found_of(const cluster::Response& r) {
  Found f;
  if (r.status == 404) return f;
  if (r.status != 200) {
    f.state = Found::State::Failed;
    f.error = cluster::failure_text(r);
    return f;
  }
  f.object = json::parse(r.body, nullptr, false);
  if (!f.object.is_object()) {
    f.state = Found::State::Failed;
    f.error = "the server's answer is not a JSON object";
    return f;
  }
  f.state = Found::State::Present;
  return f;
}

/// The items of a LIST answer by name, each with the list's apiVersion
/// and kind (a list's items carry none: they are the list's); false when
/// the answer is not a list.
bool items_by_name(const cluster::Response& r, std::unordered_map<std::string, json>& out) {
  json list = json::parse(r.body, nullptr, false);
  if (!list.is_object() || !list.contains("items") || !list["items"].is_array()) return false;
  std::string api_version = list.value("apiVersion", "");
  std::string kind = list.value("kind", "");
  if (kind.ends_with("List")) kind.resize(kind.size() - 4);
  for (auto& item : list["items"]) {
    if (!item.is_object() || !item.contains("metadata") || !item["metadata"].is_object()) continue;
    std::string name = item["metadata"].value("name", "");
    if (!item.contains("apiVersion")) item["apiVersion"] = api_version;
    if (!item.contains("kind")) item["kind"] = kind;
    out.emplace(std::move(name), std::move(item));
  }
  return true;
}

}  // namespace

std::vector<Found> look_up(cluster::Transport& transport, std::span<const Wanted> wanted) {
  std::vector<Found> out(wanted.size());
  // The wanted objects of each kind and namespace.
  std::map<std::tuple<const cluster::ResourceInfo*, std::string_view>, std::vector<size_t>> groups;
  for (size_t i = 0; i < wanted.size(); ++i) groups[{wanted[i].info, wanted[i].namespace_}].push_back(i);

  std::vector<cluster::Request> batch;
  std::vector<std::vector<size_t>> for_request;  // the wanted objects each request answers
  std::vector<bool> is_list;
  for (const auto& [key, members] : groups) {
    const cluster::ResourceInfo& info = *std::get<0>(key);
    if (members.size() >= kListFrom && !is_core_secret(info.group, info.kind) && info.allows("list")) {
      batch.push_back({"GET", cluster::collection_path(info, std::get<1>(key)), "", "", true});
      for_request.push_back(members);
      is_list.push_back(true);
      continue;
    }
    for (size_t i : members) {
      batch.push_back(get_request(wanted[i]));
      for_request.push_back({i});
      is_list.push_back(false);
    }
  }
  auto answers = transport.perform(batch);

  std::vector<size_t> fallback;  // objects of a LIST the server refused
  for (size_t r = 0; r < answers.size(); ++r) {
    if (!is_list[r]) {
      out[for_request[r].front()] = found_of(answers[r]);
      continue;
    }
    std::unordered_map<std::string, json> items;
    if (answers[r].status != 200 || !items_by_name(answers[r], items)) {
      fallback.insert(fallback.end(), for_request[r].begin(), for_request[r].end());
      continue;
    }
    for (size_t i : for_request[r]) {
      auto it = items.find(std::string(wanted[i].name));
      if (it == items.end()) continue;  // Absent
      out[i].state = Found::State::Present;
      out[i].object = std::move(it->second);
    }
  }
  if (!fallback.empty()) {
    std::vector<cluster::Request> gets;
    for (size_t i : fallback) gets.push_back(get_request(wanted[i]));
    auto got = transport.perform(gets);
    for (size_t k = 0; k < fallback.size(); ++k) out[fallback[k]] = found_of(got[k]);
  }
  return out;
}

}  // namespace claw::plan

#include "runtime/apply/wait.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace claw::apply {
namespace {

using Json = nlohmann::json;

class SystemWaitClock : public WaitClock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
  void sleep_for(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

// The objects of one kind that have a rollout, read with one LIST.
struct KindList {
  const cluster::ResourceInfo* info = nullptr;
  std::vector<size_t> members;  // indices into WaitReport::objects
  cluster::Request request;
};

std::string object_key(std::string_view ns, std::string_view name) { return fmt::format("{}/{}", ns, name); }

// The LIST of `info` covering `namespaces`: in the one namespace they share,
// else across all namespaces (one request either way).
cluster::Request list_request(const cluster::ResourceInfo& info, const std::set<std::string>& namespaces,
                              const std::string& label_selector) {
  std::string ns = namespaces.size() == 1 ? *namespaces.begin() : std::string();
  cluster::Request r{"GET", cluster::collection_path(info, ns), "", "", true};
  if (!label_selector.empty()) r.path += "?labelSelector=" + cluster::escape_path_segment(label_selector);
  return r;
}

// Groups the objects that have a rollout by kind; an object whose kind the
// server does not serve is failed in `report` instead.
std::vector<KindList> plan_lists(const cluster::Discovery& discovery, WaitReport& report, const WaitOptions& options) {
  std::map<std::tuple<std::string, std::string, std::string>, KindList> by_kind;
  std::map<const cluster::ResourceInfo*, std::set<std::string>> namespaces;
  for (size_t i = 0; i < report.objects.size(); ++i) {
    const emit::ObjectRef& ref = report.objects[i].ref;
    if (!has_rollout(ref.group, ref.kind)) continue;
    auto info = discovery.find(ref.group, ref.version, ref.kind);
    if (!info) {
      report.objects[i].readiness = {false, true, info.error()};
      continue;
    }
    KindList& list = by_kind[{ref.group, ref.version, ref.kind}];
    list.info = *info;
    list.members.push_back(i);
    namespaces[*info].insert(ref.namespace_);
  }
  std::vector<KindList> lists;
  for (auto& entry : by_kind) {
    KindList& list = entry.second;
    list.request = list_request(*list.info, namespaces[list.info], options.label_selector);
    lists.push_back(std::move(list));
  }
  return lists;
}

// The `message` of a Status body, or the body's start when it is not one.
std::string status_message(const std::string& body) {
  Json status = Json::parse(body, nullptr, false);
  if (status.is_object() && status.contains("message") && status["message"].is_string()) {
    return status["message"].get<std::string>();
  }
  return body.substr(0, 200);
}

// Why a LIST brought no items, and whether waiting can mend it: a 4xx other
// than 429 (forbidden, not found, bad selector) will not change by itself.
Readiness list_failure(const cluster::ResourceInfo& info, const cluster::Response& response) {
  if (response.status == 0) {
    return {false, false, fmt::format("listing {} failed: {}", info.resource, response.error)};
  }
  bool lasting = response.status >= 400 && response.status < 500 && response.status != 429;
  return {false, lasting,
          fmt::format("listing {} failed: HTTP {}: {}", info.resource, response.status, status_message(response.body))};
}

// Reads one LIST's answer into the readiness of the kind's members.
void read_list(const KindList& list, const cluster::Response& response, WaitReport& report) {
  auto set_all = [&](const Readiness& r) {
    for (size_t i : list.members) report.objects[i].readiness = r;
  };
  if (response.status != 200) return set_all(list_failure(*list.info, response));
  Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("items") || !body["items"].is_array()) {
    return set_all({false, false, fmt::format("listing {} failed: the answer is not a list", list.info->resource)});
  }
  std::map<std::string, const Json*> items;
  for (const Json& item : body["items"]) {
    if (!item.is_object() || !item.contains("metadata") || !item["metadata"].is_object()) continue;
    const Json& meta = item["metadata"];
    items[object_key(meta.value("namespace", ""), meta.value("name", ""))] = &item;
  }
  for (size_t i : list.members) {
    ObjectReadiness& o = report.objects[i];
    auto found = items.find(object_key(o.ref.namespace_, o.ref.name));
    o.readiness = found == items.end() ? Readiness{false, false, fmt::format("{} not found", o.ref.display())}
                                       : readiness(o.ref.group, o.ref.kind, *found->second);
  }
}

bool any_failed(const WaitReport& report) {
  return std::ranges::any_of(report.objects, [](const ObjectReadiness& o) { return o.readiness.failed; });
}

}  // namespace

std::unique_ptr<WaitClock> system_wait_clock() { return std::make_unique<SystemWaitClock>(); }

bool WaitReport::all_ready() const {
  return std::ranges::all_of(objects, [](const ObjectReadiness& o) { return o.readiness.ready; });
}

size_t WaitReport::ready_count() const {
  return static_cast<size_t>(std::ranges::count_if(objects, [](const ObjectReadiness& o) { return o.readiness.ready; }));
}

std::vector<const ObjectReadiness*> WaitReport::not_ready() const {
  std::vector<const ObjectReadiness*> out;
  for (const ObjectReadiness& o : objects) {
    if (!o.readiness.ready) out.push_back(&o);
  }
  return out;
}

std::string WaitReport::describe_problems() const {
  std::vector<const ObjectReadiness*> pending = not_ready();
  if (pending.empty()) return {};
  std::string out = any_failed(*this) ? fmt::format("{} of {} objects will not become ready:\n", pending.size(), objects.size())
                    : timed_out       ? fmt::format("timed out: {} of {} objects not ready:\n", pending.size(), objects.size())
                                      : fmt::format("{} of {} objects not ready:\n", pending.size(), objects.size());
  for (const ObjectReadiness* o : pending) {
    out += fmt::format("  {}{}: {}\n", o->readiness.failed ? "failed " : "", o->ref.display(), o->readiness.reason);
  }
  return out;
}

WaitReport wait_ready(cluster::Transport& transport, const cluster::Discovery& discovery,
                      const std::vector<emit::ObjectRef>& objects, const WaitOptions& options, WaitClock& clock,
                      const WaitProgress& progress) {
  WaitReport report;
  for (const emit::ObjectRef& ref : objects) {
    Readiness r{false, false, "not read yet"};
    if (!has_rollout(ref.group, ref.kind)) r = {true, false, fmt::format("{} has no rollout to wait for", ref.kind)};
    report.objects.push_back({ref, std::move(r)});
  }
  std::vector<KindList> lists = plan_lists(discovery, report, options);
  if (lists.empty() || any_failed(report)) return report;
  std::vector<cluster::Request> requests;
  for (const KindList& list : lists) requests.push_back(list.request);
  const auto deadline = clock.now() + options.timeout;
  while (true) {
    std::vector<cluster::Response> responses = transport.perform(requests);
    for (size_t k = 0; k < lists.size(); ++k) read_list(lists[k], responses[k], report);
    ++report.rounds;
    if (progress) progress(report);
    if (report.all_ready() || any_failed(report)) return report;
    const auto now = clock.now();
    if (now >= deadline) {
      report.timed_out = true;
      return report;
    }
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    clock.sleep_for(std::min(options.poll_interval, left));
  }
}

}  // namespace claw::apply

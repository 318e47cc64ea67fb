#include "runtime/apply/apply.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <set>

#include "runtime/apply/waves.h"
#include "runtime/plan/make_plan.h"

namespace claw::apply {

namespace {

using nlohmann::json;

/// A DELETE of exactly the object with `uid` (a precondition: another
/// object of that name is never deleted), its dependents left to the
/// garbage collector. Not on resourceVersion: controllers move it with
/// every status write; what a saved plan saw is checked before it runs
/// (stale_objects).
cluster::Request delete_request(const std::string& path, const std::string& uid) {
  json body = {{"apiVersion", "v1"}, {"kind", "DeleteOptions"}, {"propagationPolicy", "Background"}};
  body["preconditions"]["uid"] = uid;
  return cluster::Request{"DELETE", path, "application/json", body.dump(), true};
}

/// The request that carries out `o`, or an error (a secret's source).
std::expected<cluster::Request, std::string> request_for(const plan::ObjectPlan& o, const cluster::ResourceInfo& info,
                                                         const ApplyOptions& options) {
  const std::string path = cluster::object_path(info, o.ref.namespace_, o.ref.name);
  if (o.action == plan::Action::Delete) return delete_request(path, o.uid);
  json body = o.body;
  if (o.secret) {
    if (!options.secrets || !options.sources) return std::unexpected("no source for its values");
    auto data = secret_data(*o.secret, *options.secrets, *options.sources);
    if (!data) return std::unexpected(data.error().message);
    body["data"] = std::move(*data);
  }
  return plan::apply_request(path, body, false, options.force_conflicts);
}

std::string failure(const plan::ObjectPlan& o, const cluster::Response& r) {
  if (r.status == 409) {
    auto conflicts = plan::conflicts_of(json::parse(r.body, nullptr, false));
    if (!conflicts.empty()) {
      std::string list;
      for (const auto& c : conflicts) list += "\n    " + c;
      return fmt::format("fields owned by another field manager (--force-conflicts takes them over):{}", list);
    }
    return fmt::format("it changed since the plan was made; run `claw plan` again ({})", cluster::failure_text(r));
  }
  if (o.action == plan::Action::Delete && r.status == 404) return {};
  return cluster::failure_text(r);
}

/// Writes the inventory unless it is what was last written (`written`, the
/// body's text, updated); an error message, or empty.
std::string write_inventory(cluster::Transport& transport, const std::string& project, const plan::Inventory& inventory,
                            std::string& written) {
  json body = plan::inventory_body(project, inventory);
  std::string text = body.dump();
  if (text == written) return {};
  auto r = transport.perform(plan::apply_request(plan::inventory_path(project), body, false, true));
  if (r.status == 200 || r.status == 201) {
    written = std::move(text);
    return {};
  }
  return fmt::format("writing the inventory {}/{}: {}", plan::kInventoryNamespace, plan::inventory_name(project), cluster::failure_text(r));
}

}  // namespace

size_t ApplyReport::done() const {
  return static_cast<size_t>(std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return o.done; }));
}

size_t ApplyReport::failed() const { return outcomes.size() - done(); }

ApplyReport apply_plan(cluster::Transport& transport, const cluster::Discovery& discovery, const plan::Plan& plan,
                       plan::Inventory& inventory, const ApplyOptions& options) {
  ApplyReport report;
  // The inventory as read: written again after a wave only once it changed.
  std::string written = plan::inventory_body(options.project, inventory).dump();
  const size_t total = plan.objects.size();
  size_t failed = 0, finished = 0;
  auto progressed = [&](bool ok, int wave) {
    if (!ok) ++failed;
    if (options.progress) options.progress(++finished, total, wave, failed);
  };
  // The kinds as the server serves them; read again once a wave made CRDs.
  std::optional<cluster::Discovery> fresh;
  const cluster::Discovery* kinds = &discovery;
  auto step = [&](bool deletes, int wave) {
    std::vector<const plan::ObjectPlan*> batch_objects;
    std::vector<cluster::Request> batch;
    for (const auto& o : plan.objects) {
      if ((o.action == plan::Action::Delete) != deletes || o.wave != wave) continue;
      auto info = kinds->find(o.ref.api_version(), o.ref.kind);
      std::expected<cluster::Request, std::string> request =
          info ? request_for(o, **info, options) : std::unexpected(info.error());
      if (!request) {
        report.outcomes.push_back({&o, false, request.error()});
        progressed(false, wave);
        continue;
      }
      batch_objects.push_back(&o);
      batch.push_back(std::move(*request));
    }
    if (batch.empty()) return;
    // Replacements: the old object goes first (exactly it: its uid).
    if (!deletes) {
      std::vector<cluster::Request> removals;
      std::vector<size_t> which;
      for (size_t i = 0; i < batch_objects.size(); ++i)
        if (batch_objects[i]->action == plan::Action::Replace) {
          which.push_back(i);
          removals.push_back(delete_request(cluster::object_path(**kinds->find(batch_objects[i]->ref.api_version(),
                                                                                   batch_objects[i]->ref.kind),
                                                                  batch_objects[i]->ref.namespace_, batch_objects[i]->ref.name),
                                            batch_objects[i]->uid));
        }
      auto removed = transport.perform(removals);
      for (size_t k = which.size(); k-- > 0;) {
        const cluster::Response& r = removed[k];
        if (r.status == 200 || r.status == 202 || r.status == 404) continue;
        report.outcomes.push_back({batch_objects[which[k]], false, "deleting it to make it again: " + cluster::failure_text(r)});
        progressed(false, wave);
        batch_objects.erase(batch_objects.begin() + static_cast<std::ptrdiff_t>(which[k]));
        batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(which[k]));
      }
    }
    auto responses = transport.perform(batch, [&](size_t, const cluster::Response& r) {
      progressed(r.status == 200 || r.status == 201 || r.status == 202 || (deletes && r.status == 404), wave);
    });
    for (size_t i = 0; i < batch.size(); ++i) {
      const plan::ObjectPlan& o = *batch_objects[i];
      const cluster::Response& r = responses[i];
      bool ok = r.status == 200 || r.status == 201 || r.status == 202 || (deletes && r.status == 404);
      if (ok && deletes) inventory.forget(o.ref);
      if (ok && !deletes) {
        auto answer = json::parse(r.body, nullptr, false);
        if (answer.is_object()) inventory.record(o.ref, answer["metadata"].value("uid", ""));
      }
      report.outcomes.push_back({&o, ok, ok ? std::string() : failure(o, r)});
    }
  };
  // Stopped early: every object not tried is reported as not applied.
  auto stop = [&](const std::string& why) {
    report.errors.push_back(why);
    std::set<const plan::ObjectPlan*> tried;
    for (const auto& out : report.outcomes) tried.insert(out.object);
    for (const auto& o : plan.objects)
      if (!tried.contains(&o)) report.outcomes.push_back({&o, false, "not applied: stopped before it"});
    return report;
  };
  for (int wave = 0; wave < kWaves; ++wave) {
    step(false, wave);
    if (wave == 0 && !fresh) {
      // Custom resources of a CRD this apply just made: their kind is
      // served once the CRD is Established, shortly after it is created.
      auto unknown = [&] {
        return std::any_of(plan.objects.begin(), plan.objects.end(), [&](const plan::ObjectPlan& o) {
          return o.action != plan::Action::Delete && !kinds->find(o.ref.api_version(), o.ref.kind);
        });
      };
      for (int attempt = 0; attempt < 10 && unknown(); ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
        auto again = cluster::Discovery::load(transport);
        if (!again) break;
        fresh = std::move(*again);
        kinds = &*fresh;
      }
    }
    if (auto e = write_inventory(transport, options.project, inventory, written); !e.empty()) return stop(e);
    if (options.lock)
      if (auto renewed = options.lock->renew_if_due(); !renewed) return stop(renewed.error().message);
  }
  for (int wave = kWaves - 1; wave >= 0; --wave) step(true, wave);
  if (auto e = write_inventory(transport, options.project, inventory, written); !e.empty()) report.errors.push_back(e);
  return report;
}

std::vector<std::string> stale_objects(cluster::Transport& transport, const cluster::Discovery& discovery,
                                       const plan::Plan& plan) {
  std::vector<std::string> stale;
  std::vector<const plan::ObjectPlan*> asked;
  std::vector<cluster::Request> gets;
  for (const auto& o : plan.objects) {
    auto info = discovery.find(o.ref.api_version(), o.ref.kind);
    if (!info) continue;  // a kind a CRD of the plan defines
    asked.push_back(&o);
    gets.push_back({"GET", cluster::object_path(**info, o.ref.namespace_, o.ref.name), "", "", true});
  }
  auto answers = transport.perform(gets);
  for (size_t i = 0; i < asked.size(); ++i) {
    const plan::ObjectPlan& o = *asked[i];
    const cluster::Response& r = answers[i];
    if (o.action == plan::Action::Create) {
      if (r.status != 404) stale.push_back(fmt::format("{}: the plan creates it, and it exists now", o.ref.display()));
      continue;
    }
    if (r.status == 404) {
      stale.push_back(fmt::format("{}: gone since the plan was made", o.ref.display()));
      continue;
    }
    if (r.status != 200) {
      stale.push_back(fmt::format("{}: {}", o.ref.display(), cluster::failure_text(r)));
      continue;
    }
    auto live = json::parse(r.body, nullptr, false);
    const json& meta = live["metadata"];
    if (meta.value("uid", "") != o.uid) {
      stale.push_back(fmt::format("{}: deleted and made again since the plan was made", o.ref.display()));
      continue;
    }
    // A kind with a generation counts its spec's changes there; status
    // writes move only resourceVersion (apimachinery: generation is
    // incremented on spec changes). Others: any write is a change.
    int64_t generation = meta.value("generation", int64_t{0});
    if (o.generation > 0 || generation > 0) {
      if (generation != o.generation)
        stale.push_back(fmt::format("{}: changed since the plan was made (generation {} → {})", o.ref.display(),
                                    o.generation, generation));
      continue;
    }
    std::string rv = meta.value("resourceVersion", "");
    if (rv != o.resource_version)
      stale.push_back(fmt::format("{}: changed since the plan was made (resourceVersion {} → {})", o.ref.display(),
                                  o.resource_version, rv));
  }
  return stale;
}

}  // namespace claw::apply

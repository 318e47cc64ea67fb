#pragma once
// A sim in memory with a fake clock, and requests built in one line.

#include "runtime/sim/controllers.h"
#include "runtime/sim/handlers.h"

#include <memory>

namespace claw::sim::testing {

struct SimFixture {
  FakeClock clock;
  std::unique_ptr<SimState> sim = std::make_unique<SimState>(memory_state(), clock, SimOptions{});

  ApiResponse call(std::string method, std::string path, std::string body = "",
                   std::string content_type = "application/json",
                   std::multimap<std::string, std::string> query = {}) {
    ApiRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.query = std::move(query);
    r.headers["content-type"] = std::move(content_type);
    r.headers["user-agent"] = "kubectl/v1.32.4 (linux/amd64) kubernetes/abc";
    return handle_request(*sim, r);
  }
  Json json(const ApiResponse& r) { return Json::parse(r.body); }
};

inline std::string deployment(std::string_view name, int replicas = 1) {
  Json d = {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"labels", {{"app", name}}}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", name}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", name}}}}},
                {"spec", {{"containers", Json::array({{{"name", "app"}, {"image", "nginx:1.27"}}})}}}}}}}};
  return d.dump();
}

}  // namespace claw::sim::testing

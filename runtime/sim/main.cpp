// claw-sim: a local Kubernetes API server that the real kubectl accepts
// (runtime/sim/README.md).

#include "runtime/sim/server.h"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  claw::sim::ServerOptions o;
  CLI::App app{"claw-sim: a local Kubernetes API server (k3s v1.31) for claw's quick start and tests"};
  app.set_version_flag("--version", "claw-sim 0.1.0 (serves Kubernetes v1.31.4+k3s1)");
  app.add_option("--port", o.port, "port on 127.0.0.1 (0 picks a free one and prints it)")->check(CLI::Range(0, 65535));
  std::string state, kubeconfig, nodes, log;
  app.add_option("--state", state, "folder that keeps the objects and certificates across restarts")->required();
  app.add_option("--kubeconfig-out", kubeconfig, "where to write a kubeconfig for this server")->required();
  app.add_option("--nodes", nodes, "a `claw build` placement.json: one Node per machine");
  app.add_option("--log", log, "append one JSON line per request (method, path, query, status, duration)");
  int ready_ms = 500;
  app.add_option("--ready-after", ready_ms, "milliseconds until a rollout reports ready (default 500)")->check(CLI::NonNegativeNumber);
  std::vector<std::string> never;
  app.add_option("--never-ready", never, "a workload (NAME or NAMESPACE/NAME) that never becomes ready");
  app.add_option("--fail-rate", o.faults.fail_rate, "share of requests answered 500/503/429")->check(CLI::Range(0.0, 1.0));
  app.add_option("--latency", o.faults.latency_ms, "milliseconds added to every request")->check(CLI::NonNegativeNumber);
  app.add_option("--drop-connections", o.faults.drop_rate, "share of connections closed without an answer")->check(CLI::Range(0.0, 1.0));
  app.add_option("--fail-after", o.faults.fail_after, "fail every request after the N-th")->check(CLI::NonNegativeNumber);
  app.add_option("--seed", o.faults.seed, "seed of the fault injection (default 1)");
  app.add_option("--threads", o.threads, "worker threads (watches hold one each)")->check(CLI::Range(4, 1024));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  o.state_dir = state;
  o.kubeconfig_out = kubeconfig;
  if (!nodes.empty()) o.nodes = nodes;
  if (!log.empty()) o.log = log;
  o.sim.ready_after = std::chrono::milliseconds(ready_ms);
  o.sim.never_ready.insert(never.begin(), never.end());
  return claw::sim::run_server(o);
}

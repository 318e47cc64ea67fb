#pragma once
// claw-sim's HTTPS server: certificates, the listening socket on 127.0.0.1,
// client-certificate authentication, fault injection, the request log, the
// controllers' ticker and a clean stop on SIGTERM/SIGINT.

#include "runtime/sim/faults.h"
#include "runtime/sim/sim_state.h"

#include <filesystem>
#include <optional>

namespace claw::sim {

struct ServerOptions {
  int port = 0;  // 0 = any free port
  std::filesystem::path state_dir;
  std::filesystem::path kubeconfig_out;
  std::optional<std::filesystem::path> nodes;  // a claw build placement.json
  std::optional<std::filesystem::path> log;
  SimOptions sim;
  FaultOptions faults;
  int threads = 64;
};

// Serves until SIGTERM or SIGINT; returns the process exit code. Prints
// `claw-sim: listening on https://127.0.0.1:<port>` once it accepts requests.
int run_server(const ServerOptions& options);

}  // namespace claw::sim

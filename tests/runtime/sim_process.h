// A claw-sim process for one test: started on a free port with a fresh
// state folder, its address and PKI read back, stopped (SIGTERM, then
// reaped) and its folder removed when the object goes away.
#pragma once

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/cluster/endpoint.h"

namespace claw::test {

class SimProcess {
 public:
  /// Starts build/claw-sim with `extra` flags; ok() says whether it listens.
  explicit SimProcess(std::vector<std::string> extra = {}) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claw-sim-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return;
    dir_ = tmpl;
    int out[2];
    if (pipe(out) != 0) return;
    std::vector<std::string> args = {CLAW_SIM_PATH, "--port", "0", "--state", dir_ + "/state", "--kubeconfig-out",
                                     dir_ + "/kubeconfig", "--log", log_path()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = out[0];
    read_banner();
  }

  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (out_ >= 0) close(out_);
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  bool ok() const { return !server_.empty(); }
  const std::string& server() const { return server_; }
  /// claw-sim's --log: one JSON line per request it answered.
  std::string log_path() const { return dir_ + "/requests.log"; }
  std::string pki(const std::string& name) const { return slurp(dir_ + "/state/pki/" + name); }

  /// An endpoint with the sim's CA and its admin client certificate.
  cluster::Endpoint endpoint() const {
    cluster::Endpoint e;
    e.server = server_;
    e.ca_pem = pki("ca.crt");
    e.client_cert_pem = pki("client-admin.crt");
    e.client_key_pem = pki("client-admin.key");
    return e;
  }

 private:
  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // First line: "claw-sim: listening on https://127.0.0.1:PORT (kubeconfig FILE)".
  void read_banner() {
    std::string line;
    while (line.find('\n') == std::string::npos) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 20'000) <= 0) return;
      char buf[256];
      ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) return;
      line.append(buf, static_cast<size_t>(n));
    }
    const std::string marker = "listening on ";
    size_t at = line.find(marker);
    if (at == std::string::npos) return;
    size_t start = at + marker.size();
    server_ = line.substr(start, line.find(' ', start) - start);
  }

  std::string dir_;
  pid_t pid_ = -1;
  int out_ = -1;
  std::string server_;
};

}  // namespace claw::test

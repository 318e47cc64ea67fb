#include "runtime/sim/server.h"

#include "runtime/sim/controllers.h"
#include "runtime/sim/handlers.h"
#include "runtime/sim/nodes.h"
#include "runtime/sim/pki.h"
#include "runtime/sim/tls.h"
#include "runtime/sim/write.h"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/ssl.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/socket.h>
#include <thread>

namespace claw::sim {
namespace {

// One JSON line per request: method, path, query, status, duration.
class RequestLog {
 public:
  explicit RequestLog(const std::optional<std::filesystem::path>& file) {
    if (file) out_.open(*file, std::ios::app);
  }
  void record(const httplib::Request& req, int status, double ms) {
    if (!out_.is_open()) return;
    std::string query;
    for (const auto& [k, v] : req.params) query += (query.empty() ? "" : "&") + k + "=" + v;
    Json line = {{"method", req.method}, {"path", req.path}, {"query", query}, {"status", status},
                 {"duration_ms", ms}};
    std::lock_guard lock(mutex_);
    out_ << line.dump() << '\n';
    out_.flush();
  }

 private:
  std::mutex mutex_;
  std::ofstream out_;
};

ApiRequest to_api_request(const httplib::Request& req) {
  ApiRequest r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [k, v] : req.params) r.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = v;
  }
  r.body = req.body;
  return r;
}

// The HTTP layer gzips every `application/json` body a client accepts gzip
// for, in small blocks (about 9 s for a 15 MB LIST); naming the charset, as
// JSON's media type allows, keeps bodies uncompressed.
std::string wire_content_type(const std::string& content_type) {
  return content_type == "application/json" ? "application/json; charset=utf-8" : content_type;
}

void send(const ApiResponse& api, httplib::Response& res) {
  res.status = api.status;
  for (const auto& [k, v] : api.headers) res.headers.emplace(k, v);
  if (!api.stream) {
    res.set_content(api.body, wire_content_type(api.content_type).c_str());
    return;
  }
  ChunkSource stream = api.stream;
  res.set_chunked_content_provider(api.content_type.c_str(), [stream](std::size_t, httplib::DataSink& sink) {
    std::string chunk;
    if (!stream(chunk)) {
      sink.done();
      return true;
    }
    if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
    return sink.is_writable();
  });
}

ApiResponse unauthorized() {
  return error_response(ApiError{401, "Unauthorized", "Unauthorized", Json::object()});
}

std::vector<Json> read_nodes(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  Json placement = Json::parse(text.str(), nullptr, false);
  if (placement.is_discarded()) throw std::runtime_error(fmt::format("{} is not JSON", file.string()));
  return nodes_from_placement(placement, rfc3339(std::chrono::system_clock::now()));
}

}  // namespace

int run_server(const ServerOptions& options) {
  // SIGTERM and SIGINT go to one thread that stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  Pki pki;
  std::unique_ptr<SimState> sim;
  SystemClock clock;
  try {
    std::filesystem::create_directories(options.state_dir);
    pki = load_or_create_pki(options.state_dir);
    sim = std::make_unique<SimState>(disk_state(options.state_dir), clock, options.sim);
    if (options.nodes) {
      std::lock_guard lock(sim->mutex);
      register_nodes(*sim, read_nodes(*options.nodes));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "claw-sim: %s\n", e.what());
    return 1;
  }

  httplib::SSLServer server([&pki](SSL_CTX& ctx) { return configure_server_tls(ctx, pki); });
  int threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  // As Go's servers do: without it, a client that writes headers and body
  // apart waits out the peer's delayed ACK (40 ms) on every request.
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(30);
  server.set_payload_max_length(16u << 20);
  FaultInjector faults(options.faults);
  RequestLog log(options.log);

  auto handler = [&](const httplib::Request& req, httplib::Response& res) {
    auto start = std::chrono::steady_clock::now();
    ApiResponse api;
    FaultDecision fault = faults.active() ? faults.next() : FaultDecision{};
    if (fault.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault.delay_ms));
    if (!client_authenticated(req.ssl)) {
      api = unauthorized();
    } else if (fault.drop) {
      ::shutdown(SSL_get_fd(req.ssl), SHUT_RDWR);
      api = error_response(internal_error("connection dropped by claw-sim (--drop-connections)"));
    } else if (fault.error) {
      api = error_response(*fault.error);
    } else {
      try {
        api = handle_request(*sim, to_api_request(req));
      } catch (const std::exception& e) {
        api = error_response(internal_error(e.what()));
      }
    }
    send(api, res);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    log.record(req, api.status, ms);
  };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port("127.0.0.1");
  } else if (!server.bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) {
    std::fprintf(stderr, "claw-sim: cannot listen on 127.0.0.1:%d\n", options.port);
    return 1;
  }
  std::string url = fmt::format("https://127.0.0.1:{}", port);
  try {
    write_kubeconfig(options.kubeconfig_out, url, pki);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "claw-sim: %s\n", e.what());
    return 1;
  }
  sim->address = fmt::format("127.0.0.1:{}", port);

  std::thread controllers([&] {
    while (!sim->stopping) {
      reconcile(*sim);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    sim->stopping = true;
    sim->changed.notify_all();
    server.stop();
  });
  std::printf("claw-sim: listening on %s (kubeconfig %s)\n", url.c_str(), options.kubeconfig_out.c_str());
  std::fflush(stdout);
  server.listen_after_bind();
  bool asked_to_stop = sim->stopping;
  if (!asked_to_stop) {
    // The listener ended on its own: wake the stopper so both threads end.
    pthread_kill(stopper.native_handle(), SIGTERM);
  }
  stopper.join();
  sim->stopping = true;
  controllers.join();
  if (!asked_to_stop) {
    std::fprintf(stderr, "claw-sim: the listener on %s stopped unexpectedly\n", url.c_str());
    return 1;
  }
  std::printf("claw-sim: stopped\n");
  return 0;
}

}  // namespace claw::sim

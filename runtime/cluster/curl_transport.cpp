#include "runtime/cluster/curl_transport.h"

#include "runtime/cluster/curl_api.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

namespace claw::cluster {
namespace {

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

class SystemRetryClock : public RetryClock {
 public:
  SteadyTime now() override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point wall_now() override { return std::chrono::system_clock::now(); }
  void sleep_for(milliseconds d) override { std::this_thread::sleep_for(d); }
};

// curl_global_init is not thread-safe and must run once per process
// (curl.se/libcurl/c/curl_global_init.html).
bool global_init() {
  static const bool ok = curl().global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

curl_blob pem_blob(const std::string& pem) {
  return curl_blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

Fault fault_of(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT: return Fault::refused;
    // A broken connection, TLS reads and writes included, an early EOF and
    // a lost HTTP/2 connection: client-go's IsConnectionReset,
    // IsProbableEOF and IsHTTP2ConnectionLost (apimachinery util/net).
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return Fault::reset;
    case CURLE_OPERATION_TIMEDOUT: return Fault::timeout;
    case CURLE_GOT_NOTHING: return Fault::got_nothing;
    default: return Fault::other;
  }
}

// What to check when a request fails before any response: said once,
// without any credential.
const char* hint_for(CURLcode code, bool proxied) {
  if (proxied && (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_PROXY)) {
    return "; check the cluster's proxy-url in the kubeconfig and that the proxy is running";
  }
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return "; check the cluster's certificate-authority and tls-server-name in the kubeconfig";
    case CURLE_SSL_CERTPROBLEM:
      return "; check the user's client-certificate and client-key in the kubeconfig";
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST: return "; check the cluster's server in the kubeconfig and that it is running";
    default: return "";
  }
}

// The path without its query, for messages: a query may carry selectors
// that are long and, in principle, anything.
std::string_view path_only(std::string_view path) { return path.substr(0, path.find('?')); }

struct Attempt {
  size_t index = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  Response response;
  char error[CURL_ERROR_SIZE] = {};

  ~Attempt() {
    if (easy) curl().easy_cleanup(easy);
    curl().slist_free_all(headers);
  }
};

// Called by libcurl before each request goes out, its own resends on a
// reused connection that closed early included.
int on_send(void* user, char*, char*, int, int) {
  static_cast<std::atomic<uint64_t>*>(user)->fetch_add(1, std::memory_order_relaxed);
  return CURL_PREREQFUNC_OK;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<Attempt*>(user)->response.body.append(data, size * count);
  return size * count;
}

// Header names lower-cased; a new status line (an interim 1xx, a proxy's
// CONNECT answer) starts the headers afresh; repeated names are joined
// with ", " (RFC 9110 §5.3).
size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = static_cast<Attempt*>(user)->response.headers;
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    headers.clear();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name = lower(trim(line.substr(0, colon)));
    std::string value = trim(line.substr(colon + 1));
    auto [it, fresh] = headers.try_emplace(name, value);
    if (!fresh) it->second += ", " + value;
  }
  return size * count;
}

}  // namespace

std::shared_ptr<RetryClock> system_retry_clock() { return std::make_shared<SystemRetryClock>(); }

struct CurlTransport::Impl {
  Endpoint endpoint;
  CurlOptions options;
  std::string base_url;      // where requests go: the server, or the tls-server-name in its place
  std::string host_header;   // "Host: <server's host:port>" when the URL's host was replaced
  curl_slist* connect_to = nullptr;
  CURLM* multi = nullptr;
  CURL* prototype = nullptr;  // every per-connection option, copied for each attempt
  std::mt19937_64 rng;
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> connections{0};
  std::mutex busy;

  ~Impl() {
    if (prototype) curl().easy_cleanup(prototype);
    if (multi) curl().multi_cleanup(multi);
    curl().slist_free_all(connect_to);
  }

  std::expected<void, std::string> configure_server();
  void configure_prototype();
  std::unique_ptr<Attempt> start(const Request& request, size_t index, Response previous);
  double jitter();
};

// libcurl has no option that sets only the name a certificate is checked
// against (client-go's tls.Config.ServerName). The URL is therefore sent to
// the tls-server-name, CURLOPT_CONNECT_TO routes that name's connections to
// the real host and port (unlike CURLOPT_RESOLVE it takes a host name),
// and the Host header keeps the server's own name. SNI and verification
// both use the tls-server-name, as Go's ServerName does.
std::expected<void, std::string> CurlTransport::Impl::configure_server() {
  base_url = endpoint.server;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (endpoint.tls_server_name.empty()) return {};
  CURLU* url = curl().url();
  auto fail = [&](const char* what) -> std::expected<void, std::string> {
    curl().url_cleanup(url);
    return std::unexpected(std::string("the cluster's server ") + endpoint.server + ": " + what);
  };
  if (!url || curl().url_set(url, CURLUPART_URL, base_url.c_str(), 0) != CURLUE_OK) return fail("not a URL");
  char* host = nullptr;
  char* port = nullptr;
  if (curl().url_get(url, CURLUPART_HOST, &host, 0) != CURLUE_OK) return fail("has no host");
  if (curl().url_get(url, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
    curl().free(host);
    return fail("has no port");
  }
  std::string host_port = std::string(host) + ":" + port;
  std::string route = endpoint.tls_server_name + ":" + port + ":" + host + ":" + port;
  curl().free(host);
  curl().free(port);
  char* rewritten = nullptr;
  if (curl().url_set(url, CURLUPART_HOST, endpoint.tls_server_name.c_str(), 0) != CURLUE_OK ||
      curl().url_get(url, CURLUPART_URL, &rewritten, 0) != CURLUE_OK) {
    return fail("cannot take the tls-server-name as its host");
  }
  base_url = rewritten;
  curl().free(rewritten);
  curl().url_cleanup(url);
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  host_header = "Host: " + host_port;
  connect_to = curl().slist_append(nullptr, route.c_str());
  return {};
}

void CurlTransport::Impl::configure_prototype() {
  CURL* e = prototype;
  curl().easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl().easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  // Wait for a connection that may multiplex rather than open another.
  curl().easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  curl().easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl().easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl().easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
  curl().easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
  // Every encoding libcurl decodes; kube-apiserver gzips large answers.
  curl().easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl().easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
  if (connect_to) curl().easy_setopt(e, CURLOPT_CONNECT_TO, connect_to);
  if (!endpoint.ca_pem.empty()) {
    // The kubeconfig's CA alone, as client-go's RootCAs: no system store.
    curl_blob ca = pem_blob(endpoint.ca_pem);
    curl().easy_setopt(e, CURLOPT_CAINFO_BLOB, &ca);
    curl().easy_setopt(e, CURLOPT_CAPATH, nullptr);
  }
  if (!endpoint.client_cert_pem.empty()) {
    curl_blob cert = pem_blob(endpoint.client_cert_pem);
    curl_blob key = pem_blob(endpoint.client_key_pem);
    curl().easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert);
    curl().easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
    curl().easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key);
    curl().easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (endpoint.insecure) {
    curl().easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl().easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  // A bearer token wins over basic credentials, as in client-go's
  // transport.HTTPWrappersForConfig.
  if (!endpoint.token.empty()) {
    curl().easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
    curl().easy_setopt(e, CURLOPT_XOAUTH2_BEARER, endpoint.token.c_str());
  } else if (!endpoint.username.empty()) {
    curl().easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl().easy_setopt(e, CURLOPT_USERNAME, endpoint.username.c_str());
    curl().easy_setopt(e, CURLOPT_PASSWORD, endpoint.password.c_str());
  }
  // proxy-url when given; otherwise none at all: "" disables the
  // environment's proxies too (curl.se/libcurl/c/CURLOPT_PROXY.html).
  curl().easy_setopt(e, CURLOPT_PROXY, endpoint.proxy_url.c_str());
  if (endpoint.proxy_url.empty()) curl().easy_setopt(e, CURLOPT_NOPROXY, "*");
}

std::unique_ptr<Attempt> CurlTransport::Impl::start(const Request& request, size_t index, Response previous) {
  auto a = std::make_unique<Attempt>();
  a->index = index;
  a->response.attempts = previous.attempts + 1;
  a->easy = curl().easy_duphandle(prototype);
  if (!a->easy) return a;
  CURL* e = a->easy;
  std::string url = base_url + request.path;
  curl().easy_setopt(e, CURLOPT_URL, url.c_str());
  curl().easy_setopt(e, CURLOPT_PRIVATE, a.get());
  curl().easy_setopt(e, CURLOPT_ERRORBUFFER, a->error);
  curl().easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl().easy_setopt(e, CURLOPT_WRITEDATA, a.get());
  curl().easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl().easy_setopt(e, CURLOPT_HEADERDATA, a.get());
  if (request.method == "GET") {
    curl().easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl().easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    curl().easy_setopt(e, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    curl().easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl().easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
  }
  std::string accept = "Accept: " + (request.accept.empty() ? std::string("application/json") : request.accept);
  a->headers = curl().slist_append(a->headers, accept.c_str());
  if (!request.content_type.empty()) {
    a->headers = curl().slist_append(a->headers, ("Content-Type: " + request.content_type).c_str());
  }
  // No "Expect: 100-continue" round trip before a large body.
  a->headers = curl().slist_append(a->headers, "Expect:");
  if (!host_header.empty()) a->headers = curl().slist_append(a->headers, host_header.c_str());
  curl().easy_setopt(e, CURLOPT_HTTPHEADER, a->headers);
  curl().easy_setopt(e, CURLOPT_PREREQFUNCTION, on_send);
  curl().easy_setopt(e, CURLOPT_PREREQDATA, &sent);
  curl().multi_add_handle(multi, e);
  return a;
}

// One batch in progress: which requests wait to start (now or after a
// retry's delay), which are in flight, and the responses so far.
struct BatchRun {
  CurlTransport::Impl& t;
  std::span<const Request> batch;
  const OnResponse& on_response;
  std::vector<Response> responses;
  std::deque<size_t> ready;
  std::multimap<SteadyTime, size_t> waiting;
  std::map<CURL*, std::unique_ptr<Attempt>> running;
  size_t done = 0;

  BatchRun(CurlTransport::Impl& transport, std::span<const Request> requests, const OnResponse& on)
      : t(transport), batch(requests), on_response(on), responses(requests.size()) {
    for (size_t i = 0; i < batch.size(); ++i) ready.push_back(i);
  }

  void finish(size_t index, Response response) {
    responses[index] = std::move(response);
    ++done;
    if (on_response) on_response(index, responses[index]);
  }

  // Moves the retries now due to the ready queue, then starts ready
  // requests while fewer than `parallelism` are in flight.
  void launch() {
    SteadyTime now = t.options.clock->now();
    while (!waiting.empty() && waiting.begin()->first <= now) {
      ready.push_back(waiting.begin()->second);
      waiting.erase(waiting.begin());
    }
    while (running.size() < t.options.parallelism && !ready.empty()) {
      size_t index = ready.front();
      ready.pop_front();
      std::unique_ptr<Attempt> a = t.start(batch[index], index, std::move(responses[index]));
      if (!a->easy) {
        a->response.error = batch[index].method + " " + std::string(path_only(batch[index].path)) +
                            ": libcurl could not make a handle";
        finish(index, std::move(a->response));
        continue;
      }
      CURL* easy = a->easy;
      running.emplace(easy, std::move(a));
    }
  }

  // An attempt libcurl finished: its response, or a retry scheduled.
  void complete(CURL* easy, CURLcode code) {
    curl().multi_remove_handle(t.multi, easy);
    auto it = running.find(easy);
    std::unique_ptr<Attempt> a = std::move(it->second);
    running.erase(it);
    const Request& request = batch[a->index];
    Response& r = a->response;
    long status = 0, opened = 0;
    if (code == CURLE_OK) curl().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (curl().easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &opened) == CURLE_OK && opened > 0) {
      t.connections.fetch_add(static_cast<uint64_t>(opened), std::memory_order_relaxed);
    }
    r.status = static_cast<int>(status);
    if (code != CURLE_OK) {
      r.headers.clear();
      r.body.clear();
      r.error = request.method + " " + std::string(path_only(request.path)) + ": " +
                (a->error[0] ? std::string(a->error) : std::string(curl().easy_strerror(code))) + hint_for(code, !t.endpoint.proxy_url.empty());
    }
    auto header = r.headers.find("retry-after");
    AttemptOutcome outcome{r.attempts, r.status, header == r.headers.end() ? std::string_view() : header->second,
                           code == CURLE_OK ? Fault::none : fault_of(code), request.idempotent};
    RetryDecision decision = decide_retry(outcome, t.options.retry, t.options.clock->wall_now(), t.jitter());
    if (!decision.retry) return finish(a->index, std::move(r));
    // The next attempt carries this one's count only.
    Response carried;
    carried.attempts = r.attempts;
    responses[a->index] = std::move(carried);
    waiting.emplace(t.options.clock->now() + decision.delay, a->index);
  }

  // Lets libcurl move every transfer along, then handles those done.
  void progress() {
    int still = 0;
    curl().multi_perform(t.multi, &still);
    int queued = 0;
    while (CURLMsg* msg = curl().multi_info_read(t.multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) complete(msg->easy_handle, msg->data.result);
    }
  }

  // Waits for network activity, or until the next retry is due (at most a
  // second); with nothing in flight, sleeps until that retry.
  void wait() {
    RetryClock& clock = *t.options.clock;
    if (running.empty()) {
      if (!waiting.empty()) clock.sleep_for(std::chrono::ceil<milliseconds>(waiting.begin()->first - clock.now()));
      return;
    }
    if (!ready.empty() && running.size() < t.options.parallelism) return;
    long wait_ms = 1000;
    if (!waiting.empty()) {
      auto until = std::chrono::ceil<milliseconds>(waiting.begin()->first - clock.now()).count();
      wait_ms = std::clamp<long>(static_cast<long>(until), 0, 1000);
    }
    curl().multi_poll(t.multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
  }

  std::vector<Response> run() {
    while (done < batch.size()) {
      launch();
      if (!running.empty()) progress();
      if (done < batch.size()) wait();
    }
    return std::move(responses);
  }
};

double CurlTransport::Impl::jitter() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

CurlTransport::CurlTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CurlTransport::~CurlTransport() = default;

std::expected<std::unique_ptr<CurlTransport>, std::string> CurlTransport::create(const Endpoint& endpoint,
                                                                                 CurlOptions options) {
  if (auto api = curl_api(); !api) return std::unexpected(api.error());
  if (!global_init()) return std::unexpected(std::string("libcurl could not be initialised"));
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  if (!options.clock) options.clock = system_retry_clock();
  if (options.parallelism == 0) options.parallelism = 1;
  impl->options = std::move(options);
  impl->rng.seed(impl->options.seed);
  if (auto configured = impl->configure_server(); !configured) return std::unexpected(configured.error());
  impl->multi = curl().multi_init();
  impl->prototype = curl().easy_init();
  if (!impl->multi || !impl->prototype) return std::unexpected(std::string("libcurl could not make its handles"));
  long parallelism = static_cast<long>(impl->options.parallelism);
  curl().multi_setopt(impl->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl().multi_setopt(impl->multi, CURLMOPT_MAX_HOST_CONNECTIONS, parallelism);
  curl().multi_setopt(impl->multi, CURLMOPT_MAXCONNECTS, parallelism);
  impl->configure_prototype();
  return std::unique_ptr<CurlTransport>(new CurlTransport(std::move(impl)));
}

std::vector<Response> CurlTransport::perform(std::span<const Request> batch, const OnResponse& on_response) {
  std::lock_guard lock(impl_->busy);
  return BatchRun(*impl_, batch, on_response).run();
}

uint64_t CurlTransport::requests_sent() const { return impl_->sent.load(std::memory_order_relaxed); }

uint64_t CurlTransport::connections_opened() const { return impl_->connections.load(std::memory_order_relaxed); }

}  // namespace claw::cluster

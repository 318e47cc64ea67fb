#include "runtime/apply/lease.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <random>
#include <utility>

namespace claw::apply {

using Json = nlohmann::json;
using cluster::Request;
using cluster::Response;
namespace chr = std::chrono;

namespace {

// The Lease is built in (coordination.k8s.io/v1 is GA since 1.14), so its
// path is fixed rather than discovered.
constexpr std::string_view kNamespace = "kube-system";
constexpr std::string_view kCollection = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
// Reads and writes per call before giving up: each lost race or unknown
// outcome costs one round, and the lease rarely changes hands twice in a row.
constexpr int kRounds = 4;

class SystemLeaseClock : public LeaseClock {
 public:
  WallTime now() override { return chr::system_clock::now(); }
};

std::string string_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t integer_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::optional<WallTime> time_at(const Json& object, const char* key) {
  std::string text = string_at(object, key);
  return text.empty() ? std::nullopt : parse_micro_time(text);
}

// `n` decimal digits of `s` from `at`.
bool digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// `.ffffff` from `at` (any number of digits, as Go's time.Parse accepts),
// advancing `at`; microseconds, or nullopt when no digit follows the dot.
std::optional<chr::microseconds> fraction(std::string_view s, size_t& at) {
  if (at >= s.size() || s[at] != '.') return chr::microseconds(0);
  size_t start = ++at;
  int64_t us = 0;
  for (; at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])); ++at)
    if (at - start < 6) us = us * 10 + (s[at] - '0');
  if (at == start) return std::nullopt;
  for (size_t n = at - start; n < 6; ++n) us *= 10;
  return chr::microseconds(us);
}

// `Z` or `±hh:mm` from `at` to the end: the offset east of UTC.
std::optional<chr::minutes> zone(std::string_view s, size_t at) {
  if (at + 1 == s.size() && s[at] == 'Z') return chr::minutes(0);
  int h = 0, m = 0;
  if (at + 6 != s.size() || (s[at] != '+' && s[at] != '-') || !digits(s, at + 1, 2, h) || s[at + 3] != ':' ||
      !digits(s, at + 4, 2, m) || h > 23 || m > 59)
    return std::nullopt;
  chr::minutes offset = chr::hours(h) + chr::minutes(m);
  return s[at] == '-' ? -offset : offset;
}

// `12:01:03 UTC`: a time in a message.
std::string clock_time(WallTime t) {
  auto s = chr::floor<chr::seconds>(t);
  chr::hh_mm_ss hms(s - chr::floor<chr::days>(s));
  return fmt::format("{:02}:{:02}:{:02} UTC", hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

// The response's object, or null when it is not one.
Json object_of(const Response& response) {
  Json doc = Json::parse(response.body, nullptr, false);
  return doc.is_object() ? doc : Json();
}

// No answer, or a server error: the write may or may not have been made.
bool outcome_unknown(const Response& response) { return response.status == 0 || response.status >= 500; }

}  // namespace

std::shared_ptr<LeaseClock> system_lease_clock() { return std::make_shared<SystemLeaseClock>(); }

std::string lease_name(std::string_view project) {
  if (project.empty()) return "claw";
  std::string name = "claw-";
  for (char c : project) name += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string holder_identity(std::string_view user, std::string_view host, long pid, std::string_view suffix) {
  return fmt::format("{}@{} pid {} {}", user, host, pid, suffix);
}

std::string this_process_identity(const cluster::Environment& env) {
  std::string user = env.get("USER").value_or(env.get("LOGNAME").value_or("unknown"));
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "unknown");
  std::random_device random;
  return holder_identity(user, host, static_cast<long>(getpid()), fmt::format("{:06x}", random() & 0xffffffu));
}

// apimachinery pkg/apis/meta/v1/micro_time.go: MarshalJSON writes
// t.UTC().Format(RFC3339Micro), RFC3339Micro = "2006-01-02T15:04:05.000000Z07:00".
std::string format_micro_time(WallTime t) {
  auto us = chr::floor<chr::microseconds>(t);
  auto day = chr::floor<chr::days>(us);
  chr::year_month_day ymd(day);
  chr::hh_mm_ss hms(us - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

// micro_time.go UnmarshalJSON parses with time.RFC3339, which takes an
// optional fraction of any length and `Z` or a numeric offset.
std::optional<WallTime> parse_micro_time(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) ||
      s[16] != ':' || !digits(s, 17, 2, sec))
    return std::nullopt;
  size_t at = 19;
  auto frac = fraction(s, at);
  if (!frac) return std::nullopt;
  auto offset = zone(s, at);
  chr::year_month_day ymd{chr::year(y), chr::month(static_cast<unsigned>(mo)), chr::day(static_cast<unsigned>(d))};
  if (!offset || !ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  auto t = chr::sys_days(ymd) + chr::hours(h) + chr::minutes(mi) + chr::seconds(sec) + *frac - *offset;
  return chr::time_point_cast<WallTime::duration>(t);
}

LeaseRecord read_lease_record(const Json& lease) {
  LeaseRecord r;
  auto spec = lease.find("spec");
  if (spec == lease.end() || !spec->is_object()) return r;
  r.holder = string_at(*spec, "holderIdentity");
  r.duration = chr::seconds(integer_at(*spec, "leaseDurationSeconds"));
  r.acquired = time_at(*spec, "acquireTime");
  r.renewed = time_at(*spec, "renewTime");
  r.transitions = integer_at(*spec, "leaseTransitions");
  return r;
}

// client-go leaderelection.go tryAcquireOrRenew: a lease with an empty
// holderIdentity may be acquired at once (release() empties it), and one
// with a holder only once observedTime + leaseDuration is no longer After
// now. A one-shot command has no earlier observation of its own, so the
// lease's renewTime stands for it, as the LeaseSpec documents
// ("measured against the time of last observed renewTime").
bool lease_free(const LeaseRecord& record, WallTime now) {
  if (record.holder.empty() || !record.renewed) return true;
  return !(*record.renewed + record.duration > now);
}

ApplyLock::ApplyLock(cluster::Transport& transport, LockOptions options)
    : transport_(transport), options_(std::move(options)), name_(lease_name(options_.project)) {
  if (!options_.clock) options_.clock = system_lease_clock();
  path_ = fmt::format("{}/{}", kCollection, name_);
}

std::expected<void, LockError> ApplyLock::acquire() {
  for (int round = 0; round < kRounds; ++round) {
    WallTime now = options_.clock->now();
    auto live = read();
    if (!live) return std::unexpected(live.error());
    std::expected<WriteOutcome, LockError> step;
    if (!*live) {
      step = create(now);
    } else {
      LeaseRecord record = read_lease_record(**live);
      // Ours already: a create or takeover of this call that went through
      // though its answer was lost.
      if (record.holder == options_.identity) {
        lease_ = std::move(**live);
        last_write_ = record.renewed.value_or(now);
        return {};
      }
      if (!lease_free(record, now)) return std::unexpected(held_error(record, now));
      step = take_over(**live, now);
    }
    if (!step) return std::unexpected(step.error());
    if (*step == WriteOutcome::Done) return {};
  }
  return std::unexpected(LockError{LockError::Kind::Failed,
                                   fmt::format("the apply lock (Lease {}/{}) changed or went unanswered on each of {} "
                                               "attempts to take it; run claw apply again",
                                               kNamespace, name_, kRounds)});
}

std::expected<void, LockError> ApplyLock::renew() {
  if (!held())
    return std::unexpected(LockError{LockError::Kind::Failed,
                                     fmt::format("the apply lock (Lease {}/{}) is not held; acquire it first",
                                                 kNamespace, name_)});
  for (int round = 0; round < kRounds; ++round) {
    auto step = write_renewal(options_.clock->now());
    if (!step) return std::unexpected(step.error());
    if (*step == WriteOutcome::Done) return {};
  }
  return std::unexpected(LockError{
      LockError::Kind::Failed, fmt::format("the apply lock (Lease {}/{}) could not be renewed in {} attempts; the "
                                           "server did not answer or the lease kept changing",
                                           kNamespace, name_, kRounds)});
}

std::expected<void, LockError> ApplyLock::renew_if_due() {
  if (held() && options_.clock->now() - last_write_ < options_.duration / 3) return {};
  return renew();
}

std::expected<void, LockError> ApplyLock::release() {
  for (int round = 0; round < kRounds && held(); ++round) {
    auto step = delete_held();
    if (!step) return std::unexpected(step.error());
  }
  if (!held()) return {};
  return std::unexpected(LockError{
      LockError::Kind::Failed,
      fmt::format("the apply lock (Lease {}/{}) could not be released in {} attempts; it expires {} after its last "
                  "renewal, and the next claw apply can take it then",
                  kNamespace, name_, kRounds, options_.duration)});
}

std::expected<std::optional<Json>, LockError> ApplyLock::read() {
  Request request{"GET", path_, "", "", true};
  Response response = transport_.perform(request);
  if (response.status == 404) return std::optional<Json>();
  Json lease = response.status == 200 ? object_of(response) : Json();
  if (lease.is_null()) return std::unexpected(failed(request, response));
  return std::optional<Json>(std::move(lease));
}

// A create is not idempotent (transport.h): the transport does not resend
// it, and when its outcome is unknown the next round's read tells whether
// it was made (the holder is us) or not (still absent).
std::expected<ApplyLock::WriteOutcome, LockError> ApplyLock::create(WallTime now) {
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", name_}, {"namespace", kNamespace}}},
                {"spec", spec(now, now, 0)}};
  Request request{"POST", std::string(kCollection), "application/json", lease.dump(), false};
  Response response = transport_.perform(request);
  if (response.status == 201 || response.status == 200) {
    lease_ = object_of(response);
    last_write_ = now;
    return lease_.is_null() ? WriteOutcome::Retry : WriteOutcome::Done;
  }
  // 409 AlreadyExists: another created it first; the read reports them.
  if (response.status == 409 || outcome_unknown(response)) return WriteOutcome::Retry;
  return std::unexpected(failed(request, response));
}

// client-go tryAcquireOrRenew step 3: a new holder sets acquireTime and
// renewTime to now and increments leaseTransitions. The PUT carries the
// resourceVersion read, so a resend is safe (it can only meet a 409), and
// of two takeovers the server accepts one: the other's 409 is re-read.
std::expected<ApplyLock::WriteOutcome, LockError> ApplyLock::take_over(const Json& live, WallTime now) {
  Json lease = live;
  lease["spec"] = spec(now, now, read_lease_record(live).transitions + 1);
  Request request{"PUT", path_, "application/json", lease.dump(), true};
  Response response = transport_.perform(request);
  if (response.status == 200) {
    lease_ = object_of(response);
    last_write_ = now;
    return lease_.is_null() ? WriteOutcome::Retry : WriteOutcome::Done;
  }
  // 409: another took it first; 404: it was deleted meanwhile.
  if (response.status == 409 || response.status == 404 || outcome_unknown(response)) return WriteOutcome::Retry;
  return std::unexpected(failed(request, response));
}

// client-go tryAcquireOrRenew for the leader: holder, acquireTime and
// leaseTransitions kept, renewTime now.
std::expected<ApplyLock::WriteOutcome, LockError> ApplyLock::write_renewal(WallTime now) {
  Json lease = lease_;
  lease["spec"]["renewTime"] = format_micro_time(now);
  Request request{"PUT", path_, "application/json", lease.dump(), true};
  Response response = transport_.perform(request);
  if (response.status == 200) {
    Json written = object_of(response);
    if (written.is_null()) return after_conflict();
    lease_ = std::move(written);
    last_write_ = now;
    return WriteOutcome::Done;
  }
  if (response.status == 409) return after_conflict();
  if (response.status == 404) {
    lease_ = Json();
    return std::unexpected(lost_error(std::nullopt));
  }
  if (outcome_unknown(response)) return WriteOutcome::Retry;
  return std::unexpected(failed(request, response));
}

// Preconditions on uid and resourceVersion (meta/v1 DeleteOptions): the
// server deletes the lease only as we last wrote it, and answers 409 when
// it has changed since, so another holder's lease is never deleted.
std::expected<ApplyLock::WriteOutcome, LockError> ApplyLock::delete_held() {
  const Json& meta = lease_["metadata"];
  Json options = {{"apiVersion", "v1"},
                  {"kind", "DeleteOptions"},
                  {"preconditions", {{"uid", string_at(meta, "uid")}, {"resourceVersion", string_at(meta, "resourceVersion")}}}};
  Request request{"DELETE", path_, "application/json", options.dump(), true};
  Response response = transport_.perform(request);
  // 404: already gone (our own delete whose answer was lost, resent).
  if (response.status == 200 || response.status == 202 || response.status == 404) {
    lease_ = Json();
    return WriteOutcome::Done;
  }
  if (response.status == 409) return after_conflict();
  if (outcome_unknown(response)) return WriteOutcome::Retry;
  return std::unexpected(failed(request, response));
}

// A write of ours met a newer lease: still ours (a write whose answer was
// lost), then retry with it; gone, then nothing is held; another's, Lost.
std::expected<ApplyLock::WriteOutcome, LockError> ApplyLock::after_conflict() {
  auto live = read();
  if (!live) return std::unexpected(live.error());
  if (*live && read_lease_record(**live).holder == options_.identity) {
    lease_ = std::move(**live);
    return WriteOutcome::Retry;
  }
  lease_ = Json();
  if (!*live) return WriteOutcome::Done;
  return std::unexpected(lost_error(*live));
}

Json ApplyLock::spec(WallTime acquired, WallTime renewed, int64_t transitions) const {
  return {{"holderIdentity", options_.identity},
          {"leaseDurationSeconds", options_.duration.count()},
          {"acquireTime", format_micro_time(acquired)},
          {"renewTime", format_micro_time(renewed)},
          {"leaseTransitions", transitions}};
}

LockError ApplyLock::failed(const Request& request, const Response& response) const {
  std::string what = fmt::format("the apply lock (Lease {}/{}): ", kNamespace, name_);
  if (response.status == 0) return {LockError::Kind::Failed, what + request.method + " got no answer: " + response.error};
  what += fmt::format("{} answered HTTP {}", request.method, response.status);
  Json status = object_of(response);
  if (!status.is_null() && string_at(status, "kind") == "Status") what += ": " + string_at(status, "message");
  if (response.status == 401 || response.status == 403)
    what += fmt::format("; the kubeconfig's user needs get, create, update and delete on leases "
                        "(coordination.k8s.io) in {}",
                        kNamespace);
  return {LockError::Kind::Failed, what};
}

LockError ApplyLock::held_error(const LeaseRecord& record, WallTime now) const {
  WallTime since = record.acquired.value_or(*record.renewed);
  WallTime expires = *record.renewed + record.duration;
  auto left = chr::ceil<chr::seconds>(expires - now);
  return {LockError::Kind::Held,
          fmt::format("another claw apply is running: {}, since {}, lease expires {} (in {}s); wait, or if it "
                      "crashed run again after expiry (Lease {}/{})",
                      record.holder, clock_time(since), clock_time(expires), left.count(), kNamespace, name_)};
}

LockError ApplyLock::lost_error(const std::optional<Json>& live) const {
  std::string lease = fmt::format("the apply lock (Lease {}/{})", kNamespace, name_);
  if (!live)
    return {LockError::Kind::Lost,
            lease + " was deleted while this apply held it; another claw apply may be running: check, then run "
                    "claw apply again"};
  LeaseRecord record = read_lease_record(*live);
  if (record.holder.empty())
    return {LockError::Kind::Lost, lease + " was released by another while this apply held it; another claw apply "
                                           "may be running: check, then run claw apply again"};
  std::string since = record.acquired ? " at " + clock_time(*record.acquired) : "";
  return {LockError::Kind::Lost,
          fmt::format("{} was taken over by {}{} while this apply held it (it was not renewed within {}); that apply "
                      "may be changing the cluster: let it finish, then run claw apply again",
                      lease, record.holder, since, options_.duration)};
}

}  // namespace claw::apply

#pragma once
// Time behind an interface: the real clock for the server, a fake one that
// tests move by hand (no sleeps in tests).

#include <chrono>
#include <string>

namespace claw::sim {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

class FakeClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  std::chrono::system_clock::time_point now_ = std::chrono::sys_days{std::chrono::December / 5 / 2026};
};

// `2026-12-05T04:00:00Z`: the RFC 3339 form (seconds) the API uses.
std::string rfc3339(std::chrono::system_clock::time_point t);

}  // namespace claw::sim

// A Transport that answers from a function, in process: for the unit tests
// of everything above the transport (discovery, plan, apply, prune).
#pragma once

#include <functional>
#include <vector>

#include "runtime/cluster/transport.h"

namespace claw::cluster {

class FakeTransport : public Transport {
 public:
  using Handler = std::function<Response(const Request&)>;

  /// A transport whose every request is answered by `handler`.
  explicit FakeTransport(Handler handler);

  /// Answers each request of `batch` in order, recording it.
  std::vector<Response> perform(std::span<const Request> batch, const OnResponse& on_response = {}) override;
  using Transport::perform;

  /// Every request performed so far, in order.
  const std::vector<Request>& requests() const { return requests_; }
  uint64_t requests_sent() const override { return requests_.size(); }

 private:
  Handler handler_;
  std::vector<Request> requests_;
};

}  // namespace claw::cluster

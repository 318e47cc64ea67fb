#include "runtime/cluster/fake_transport.h"

#include <utility>

namespace claw::cluster {

FakeTransport::FakeTransport(Handler handler) : handler_(std::move(handler)) {}

std::vector<Response> FakeTransport::perform(std::span<const Request> batch, const OnResponse& on_response) {
  std::vector<Response> responses;
  responses.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    requests_.push_back(batch[i]);
    Response r = handler_(batch[i]);
    if (r.attempts == 0) r.attempts = 1;
    if (on_response) on_response(i, r);
    responses.push_back(std::move(r));
  }
  return responses;
}

}  // namespace claw::cluster

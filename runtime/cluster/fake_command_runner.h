// A CommandRunner for tests: answers from a function and records each
// command it was asked to run.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "runtime/cluster/command_runner.h"

namespace claw::cluster {

class FakeCommandRunner final : public CommandRunner {
 public:
  using Answer = std::function<std::expected<CommandResult, CommandError>(const Command&)>;

  /// A runner whose every run is answered by `answer`.
  explicit FakeCommandRunner(Answer answer) : answer_(std::move(answer)) {}
  std::expected<CommandResult, CommandError> run(const Command& command) override {
    calls_.push_back(command);
    return answer_(command);
  }
  /// The commands run so far, in order.
  const std::vector<Command>& calls() const { return calls_; }

 private:
  Answer answer_;
  std::vector<Command> calls_;
};

}  // namespace claw::cluster

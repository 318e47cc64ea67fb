// What an interrupted build undoes before the process ends: the registry
// of output-tree writers, which the signal watcher asks to abandon their
// staging folders.
#pragma once

namespace claw::io {

/// Something that leaves a trace on disk until it finishes (an output
/// tree's staging folder).
class Abandonable {
 public:
  virtual ~Abandonable() = default;
  /// Removes the trace and makes any later work fail; called from another
  /// thread, at most once, while the object is registered. Must return in
  /// bounded time even when the work is stuck (it may then leave the trace).
  virtual void abandon() = 0;
};

/// Registers `a` until `unregister_abandonable(a)`; the two are called
/// outside any lock `a` takes in `abandon`.
void register_abandonable(Abandonable* a);
void unregister_abandonable(Abandonable* a);

/// Abandons everything registered, and keeps anything registered later
/// from starting: what the process does on SIGINT or SIGTERM before it
/// ends. Safe to call from any thread (not from a signal handler).
void abandon_all();

/// Whether `abandon_all` has been called.
bool abandoned();

}  // namespace claw::io

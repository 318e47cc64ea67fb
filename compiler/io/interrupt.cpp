#include "compiler/io/interrupt.h"

#include <atomic>
#include <mutex>
#include <set>

namespace claw::io {
namespace {

std::mutex& registry_mutex() {
  static std::mutex mu;
  return mu;
}

std::set<Abandonable*>& registry() {
  static std::set<Abandonable*> all;
  return all;
}

std::atomic<bool> g_abandoned{false};

}  // namespace

void register_abandonable(Abandonable* a) {
  std::lock_guard lock(registry_mutex());
  registry().insert(a);
  if (g_abandoned.load()) a->abandon();
}

void unregister_abandonable(Abandonable* a) {
  std::lock_guard lock(registry_mutex());
  registry().erase(a);
}

void abandon_all() {
  std::lock_guard lock(registry_mutex());
  g_abandoned.store(true);
  for (Abandonable* a : registry()) a->abandon();
}

bool abandoned() { return g_abandoned.load(); }

}  // namespace claw::io

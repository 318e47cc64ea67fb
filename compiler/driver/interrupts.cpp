#include "compiler/driver/interrupts.h"

#include <pthread.h>
#include <signal.h>

#include <thread>

#include "compiler/io/interrupt.h"

namespace claw::driver {
namespace {

sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void watch_interrupts() {
  const sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // No handler runs in signal context: this thread takes the signal as an
  // ordinary event, so it may lock, remove folders and wait.
  std::thread([set] {
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    io::abandon_all();
    // Die by the signal itself, so a shell sees what ended the build.
    ::signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
    ::raise(sig);
  }).detach();
}

}  // namespace claw::driver

#include "compiler/driver/interrupts.h"

#include <pthread.h>
#include <signal.h>

#include <thread>

#include "compiler/io/interrupt.h"

namespace claw::driver {
namespace {

/// The signals to watch: those of SIGINT, SIGTERM and SIGHUP the process
/// was not started ignoring (`nohup`, a shell's background job), which stay
/// ignored.
sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction now {};
    if (::sigaction(sig, nullptr, &now) == 0 && now.sa_handler != SIG_IGN) sigaddset(&set, sig);
  }
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

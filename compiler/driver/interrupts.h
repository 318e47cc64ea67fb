// How the `claw` process ends on SIGINT, SIGTERM or SIGHUP: without
// leaving a half-written output tree's staging folder behind.
#pragma once

namespace claw::driver {

/// Blocks SIGINT, SIGTERM and SIGHUP (those not ignored from the start) in
/// the calling thread, and so in every thread it starts later, and starts a thread that waits for one: it then
/// abandons every output tree being written (io::abandon_all), and ends the
/// process by that signal. Call once, first thing in main, before any other
/// thread exists.
void watch_interrupts();

}  // namespace claw::driver

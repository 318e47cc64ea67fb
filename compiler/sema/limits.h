// Bounds on what evaluating a program may build, so that a program whose
// values grow exponentially (a chain of lets each doubling the last) is a
// diagnostic in milliseconds rather than gigabytes of memory. Sizes are
// value_size: about the bytes a value takes in the output.
#pragma once

#include <cstdint>

namespace claw::sema {

/// The largest value: a string, list, map or record, a declaration's whole
/// record included. Kubernetes stores an object of at most about 1.5 MiB (a
/// ConfigMap's data at most 1 MiB), so no value it can take comes near.
inline constexpr uint64_t kMaxValueSize = uint64_t{4} << 20;

/// The most that all uses of lets and template parameters in a program may
/// copy, in all: each use copies the value, so a value within the bound used
/// thousands of times could still take all the memory (and output) there is.
inline constexpr uint64_t kMaxProgramSize = uint64_t{1} << 30;

}  // namespace claw::sema

// Fresh memory for the allocator in large regions the kernel may back with
// 2 MiB pages. A build of 10,000 services touches about 130 MB of heap: in
// 4 KiB pages that is some 30,000 page faults, a fifth of the run. Where
// the kernel gives transparent huge pages on request (`madvise`) or always,
// a region asks for them and faults 512 times less often; where they are
// off, it is ordinary memory.
#pragma once

#include <cstddef>
#include <cstdint>

namespace claw::io {

/// Where regions come from: the real source maps anonymous memory; tests
/// use a fake.
class RegionSource {
 public:
  virtual ~RegionSource() = default;
  /// `size` bytes of fresh, zeroed memory aligned to `alignment` (both
  /// multiples of the huge page), or null when there is none.
  virtual void* map(size_t size, size_t alignment) = 0;
};

/// Anonymous private mappings that ask the kernel for huge pages.
RegionSource& anonymous_huge_memory();

/// Hands out blocks in order from regions of at least `kRegion` bytes, and
/// never takes one back: an allocator's source of fresh memory, which keeps
/// what it frees for itself. Not thread-safe: the allocator calls it under
/// its own lock.
class RegionCarver {
 public:
  static constexpr size_t kHugePage = size_t{2} << 20;
  static constexpr size_t kRegion = size_t{64} << 20;

  explicit RegionCarver(RegionSource& source) : source_(source) {}

  /// `size` bytes aligned to `alignment` (a power of two up to `kHugePage`;
  /// smaller ones are raised to 4 KiB), or null when `alignment` is larger
  /// or the source has no more. The rest of a region too small for a block
  /// is left unused: it was never touched, so it costs no memory.
  void* take(size_t size, size_t alignment);

 private:
  RegionSource& source_;
  uintptr_t next_ = 0;  // the first free byte of the current region
  uintptr_t end_ = 0;   // the end of the current region
};

}  // namespace claw::io

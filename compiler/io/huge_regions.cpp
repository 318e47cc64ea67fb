#include "compiler/io/huge_regions.h"

#include <sys/mman.h>

#include <bit>
#include <cstdint>
#include <new>

namespace claw::io {
namespace {

class AnonymousHugeMemory final : public RegionSource {
 public:
  void* map(size_t size, size_t alignment) override {
    // Over-map by the alignment and trim both ends, so the region starts
    // on a huge page and nothing outside it stays mapped.
    const size_t mapped = size + alignment;
    void* p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
    const uintptr_t start = (begin + alignment - 1) & ~(alignment - 1);
    if (start > begin) ::munmap(p, start - begin);
    const uintptr_t end = start + size;
    if (begin + mapped > end) ::munmap(reinterpret_cast<void*>(end), begin + mapped - end);
    // Only advice: a kernel without transparent huge pages, or with them
    // off, refuses it and the region is made of small pages.
    ::madvise(reinterpret_cast<void*>(start), size, MADV_HUGEPAGE);
    return reinterpret_cast<void*>(start);
  }
};

uintptr_t round_up(uintptr_t n, size_t to) { return (n + to - 1) & ~(static_cast<uintptr_t>(to) - 1); }

}  // namespace

RegionSource& anonymous_huge_memory() {
  // Never destroyed: the allocator may still ask for memory while the
  // program's statics are torn down.
  alignas(AnonymousHugeMemory) static unsigned char storage[sizeof(AnonymousHugeMemory)];
  static RegionSource* source = new (storage) AnonymousHugeMemory();
  return *source;
}

void* RegionCarver::take(size_t size, size_t alignment) {
  if (alignment > kHugePage || (alignment != 0 && !std::has_single_bit(alignment))) return nullptr;
  alignment = alignment < 4096 ? 4096 : alignment;
  if (size == 0 || size > SIZE_MAX - kHugePage) return nullptr;
  uintptr_t at = round_up(next_, alignment);
  if (next_ == 0 || at < next_ || at + size > end_) {
    const size_t region = size > kRegion ? round_up(size, kHugePage) : kRegion;
    void* p = source_.map(region, kHugePage);
    if (p == nullptr) return nullptr;
    next_ = reinterpret_cast<uintptr_t>(p);
    end_ = next_ + region;
    at = next_;
  }
  next_ = at + size;
  return reinterpret_cast<void*>(at);
}

}  // namespace claw::io

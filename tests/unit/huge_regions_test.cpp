// The allocator's regions: blocks come out aligned, in order and without
// overlap, a new region is mapped only when the current one is spent, and
// what cannot be had is refused rather than made up.
#include <doctest/doctest.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "compiler/io/huge_regions.h"

namespace {

using claw::io::RegionCarver;

/// Hands out regions at made-up addresses, remembering what was asked;
/// `limit` regions at most.
struct FakeSource : claw::io::RegionSource {
  struct Asked {
    size_t size, alignment;
  };
  std::vector<Asked> asked;
  uintptr_t next = uintptr_t{1} << 40;
  size_t limit = 100;

  void* map(size_t size, size_t alignment) override {
    asked.push_back({size, alignment});
    if (asked.size() > limit) return nullptr;
    const uintptr_t at = next;
    next += size + alignment;  // a gap, as between real mappings
    return reinterpret_cast<void*>(at);
  }
};

uintptr_t address(void* p) { return reinterpret_cast<uintptr_t>(p); }

}  // namespace

TEST_CASE("huge regions: blocks are aligned, in order, and one region serves many") {
  FakeSource source;
  RegionCarver carver(source);
  uintptr_t last_end = 0;
  for (size_t alignment : {size_t{8192}, size_t{4096}, size_t{65536}, size_t{8192}, RegionCarver::kHugePage}) {
    CAPTURE(alignment);
    void* p = carver.take(3 * 8192, alignment);
    REQUIRE(p != nullptr);
    CHECK(address(p) % alignment == 0);
    CHECK(address(p) >= last_end);
    last_end = address(p) + 3 * 8192;
  }
  REQUIRE(source.asked.size() == 1);
  CHECK(source.asked[0].size == RegionCarver::kRegion);
  CHECK(source.asked[0].alignment == RegionCarver::kHugePage);
}

TEST_CASE("huge regions: a block the region cannot hold starts a new one") {
  FakeSource source;
  RegionCarver carver(source);
  void* first = carver.take(RegionCarver::kRegion - 8192, 8192);
  REQUIRE(first != nullptr);
  void* second = carver.take(16384, 8192);
  REQUIRE(second != nullptr);
  REQUIRE(source.asked.size() == 2);
  CHECK(address(second) == address(first) + RegionCarver::kRegion + RegionCarver::kHugePage);
  // The rest of the second region serves what follows.
  void* third = carver.take(8192, 8192);
  CHECK(address(third) == address(second) + 16384);
  CHECK(source.asked.size() == 2);
}

TEST_CASE("huge regions: a block larger than a region gets a region of its own, in whole huge pages") {
  FakeSource source;
  RegionCarver carver(source);
  const size_t big = RegionCarver::kRegion + 12345;
  void* p = carver.take(big, 4096);
  REQUIRE(p != nullptr);
  REQUIRE(source.asked.size() == 1);
  CHECK(source.asked[0].size >= big);
  CHECK(source.asked[0].size % RegionCarver::kHugePage == 0);
  CHECK(source.asked[0].size < big + RegionCarver::kHugePage);
}

TEST_CASE("huge regions: refused when the alignment is beyond a huge page or not a power of two, or memory is out") {
  FakeSource source;
  RegionCarver carver(source);
  CHECK(carver.take(8192, 2 * RegionCarver::kHugePage) == nullptr);
  CHECK(carver.take(8192, 12288) == nullptr);
  CHECK(carver.take(0, 8192) == nullptr);
  CHECK(carver.take(SIZE_MAX - 100, 8192) == nullptr);
  CHECK(source.asked.empty());
  source.limit = 0;
  CHECK(carver.take(8192, 8192) == nullptr);
  // A source that recovers is used again.
  source.limit = 100;
  void* p = carver.take(8192, 8192);
  CHECK(p != nullptr);
}

TEST_CASE("huge regions: the real source gives aligned, zeroed, writable memory") {
  void* p = claw::io::anonymous_huge_memory().map(RegionCarver::kHugePage * 2, RegionCarver::kHugePage);
  REQUIRE(p != nullptr);
  CHECK(address(p) % RegionCarver::kHugePage == 0);
  auto* bytes = static_cast<unsigned char*>(p);
  const size_t size = RegionCarver::kHugePage * 2;
  CHECK(bytes[0] == 0);
  CHECK(bytes[size - 1] == 0);
  std::memset(bytes, 0xab, size);
  CHECK(bytes[size / 2] == 0xab);
  ::munmap(p, size);
}

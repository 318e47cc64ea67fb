// Linked into the `claw` executable only, and only with tcmalloc: from the
// start of the program tcmalloc takes its fresh memory from regions that
// may be backed by huge pages (io/huge_regions.h), falling back to its own
// source when they cannot be had.
#include <gperftools/malloc_extension.h>

#include <cstdlib>
#include <new>

#include "compiler/io/huge_regions.h"

namespace {

class HugePageSysAllocator final : public SysAllocator {
 public:
  explicit HugePageSysAllocator(SysAllocator* fallback)
      : fallback_(fallback), carver_(claw::io::anonymous_huge_memory()) {}

  // tcmalloc calls this under its own lock.
  void* Alloc(size_t size, size_t* actual_size, size_t alignment) override {
    if (void* p = carver_.take(size, alignment)) {
      if (actual_size) *actual_size = size;
      return p;
    }
    return fallback_->Alloc(size, actual_size, alignment);
  }

 private:
  SysAllocator* fallback_;
  claw::io::RegionCarver carver_;
};

struct Install {
  Install() {
    // tcmalloc sets up its own source on its first growth, replacing any
    // set before: make sure that has happened. (Through a volatile, or the
    // compiler may drop the pair.)
    void* volatile first = std::malloc(1);
    std::free(first);
    MallocExtension* tcmalloc = MallocExtension::instance();
    // Never destroyed: memory is asked for until the process ends.
    alignas(HugePageSysAllocator) static unsigned char storage[sizeof(HugePageSysAllocator)];
    tcmalloc->SetSystemAllocator(new (storage) HugePageSysAllocator(tcmalloc->GetSystemAllocator()));
  }
} install;

}  // namespace

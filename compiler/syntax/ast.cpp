#include "compiler/syntax/ast.h"

namespace claw::syntax {

std::string_view decl_kind_name(DeclKind kind) {
  switch (kind) {
    case DeclKind::Cluster: return "cluster";
    case DeclKind::Machine: return "machine";
    case DeclKind::Role: return "role";
    case DeclKind::Service: return "service";
    case DeclKind::Job: return "job";
    case DeclKind::Cron: return "cron";
    case DeclKind::Daemon: return "daemon";
    case DeclKind::Chart: return "chart";
    case DeclKind::Secret: return "secret";
    case DeclKind::Resource: return "resource";
  }
  return "declaration";
}

File::~File() {
  for (auto it = destructors_.rbegin(); it != destructors_.rend(); ++it) it->destroy(it->node);
}

void* File::allocate(size_t size, size_t align) {
  constexpr size_t kBlock = 64 * 1024;
  size_t pad = (align - reinterpret_cast<uintptr_t>(free_) % align) % align;
  if (!free_ || pad + size > left_) {
    if (size > kBlock / 4) {  // a node this large gets a block of its own
      blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));
      return blocks_.back().get();
    }
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(kBlock));
    free_ = blocks_.back().get();
    left_ = kBlock;
    pad = 0;  // new[] memory is aligned for every node type
  }
  void* p = free_ + pad;
  free_ += pad + size;
  left_ -= pad + size;
  return p;
}

}  // namespace claw::syntax

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

}  // namespace claw::syntax

// The kinds table. LSP 3.17 SymbolKind: Module 2, Namespace 3, Package 4,
// Class 5, Property 7, Field 8, Enum 10, Interface 11, Function 12,
// Variable 13, Key 20, Object 19, EnumMember 22, Struct 23, TypeParameter 26,
// File 1. CompletionItemKind: Function 3, Variable 6, Class 7, Interface 8,
// Module 9, Enum 13, File 17, EnumMember 20, Constant 21, Struct 22,
// TypeParameter 25, Reference 18.
#include "compiler/lsp/symbol_kinds.h"

namespace claw::lsp {

int lsp_symbol_kind(sema::SymbolKind kind) {
  using K = sema::SymbolKind;
  switch (kind) {
    case K::Cluster: return 3;
    case K::Machine: return 5;
    case K::Role: return 11;
    case K::Workload: return 2;
    case K::Chart: return 4;
    case K::Secret: return 20;
    case K::Resource: return 19;
    case K::Template: return 12;
    case K::Let: return 13;
    case K::Type: return 23;
    case K::Enum: return 10;
    case K::EnumValue: return 22;
    case K::Param: return 26;
    case K::Import: return 1;
  }
  return 13;
}

int lsp_symbol_kind(syntax::DeclKind kind) {
  using D = syntax::DeclKind;
  switch (kind) {
    case D::Cluster: return 3;
    case D::Machine: return 5;
    case D::Role: return 11;
    case D::Service:
    case D::Job:
    case D::Cron:
    case D::Daemon: return 2;
    case D::Chart: return 4;
    case D::Secret: return 20;
    case D::Resource: return 19;
  }
  return 13;
}

int completion_kind(sema::SymbolKind kind) {
  using K = sema::SymbolKind;
  switch (kind) {
    case K::Cluster:
    case K::Chart:
    case K::Workload: return 9;
    case K::Machine: return 7;
    case K::Role: return 8;
    case K::Secret:
    case K::Resource: return 18;
    case K::Template: return 3;
    case K::Let: return 6;
    case K::Type: return 22;
    case K::Enum: return 13;
    case K::EnumValue: return 20;
    case K::Param: return 25;
    case K::Import: return 17;
  }
  return 6;
}

}  // namespace claw::lsp

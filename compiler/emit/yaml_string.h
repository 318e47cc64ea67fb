// Writing a string into YAML so that every reader (Helm's YAML 1.1 as well
// as YAML 1.2) reads back the same string. Shared by the YAML emitters.
#pragma once

#include <string>
#include <string_view>

namespace claw::emit {

/// Appends `s` as a YAML scalar: plain when that is unambiguous,
/// double-quoted when a reader could take it for a bool, number or null or
/// it has characters a plain scalar cannot hold, and as a literal block
/// (`|`, its lines at `indent + 2` spaces) when it spans lines and a block
/// keeps it exactly (never for a map key: `block = false`).
void append_yaml_string(std::string& out, std::string_view s, int indent, bool block = true);

}  // namespace claw::emit

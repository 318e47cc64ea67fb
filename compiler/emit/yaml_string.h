// Writing a string into YAML so that every reader (Helm's YAML 1.1 as well
// as YAML 1.2) reads back the same string. Shared by the YAML emitters.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace claw::emit {

/// Emits `s` plain when that is unambiguous, double-quoted when a reader
/// could take it for a bool, number or null, and as a literal block when it
/// spans lines and a block keeps it exactly.
void write_yaml_string(YAML::Emitter& out, const std::string& s);

}  // namespace claw::emit

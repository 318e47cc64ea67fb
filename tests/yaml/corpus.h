// The hostile scalars the YAML read-back test writes through claw's
// emitters: every form a YAML 1.1 or 1.2 core resolver reads as anything
// but a string, indicators, spaces, every control character, Unicode line
// breaks, long keys, and seeded random mixes of all of them. Valid UTF-8
// only, as every string of a checked program is.
#pragma once

#include <string>
#include <vector>

namespace claw::yaml_corpus {

/// The corpus, each string once, in a fixed order (the same on every run).
std::vector<std::string> corpus();

}  // namespace claw::yaml_corpus

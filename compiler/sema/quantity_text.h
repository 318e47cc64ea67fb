// Quantities as people read them in diagnostics, summaries and tables.
#pragma once

#include <cstdint>
#include <string>

namespace claw::sema {

/// 24GiB, 2TiB, 512MiB, or 1.5GiB when no unit divides it.
std::string bytes_text(int64_t bytes);

/// 2 (cores) or 500m (millicores), as written in the language.
std::string cpu_text(int64_t millis);

/// Cores with up to three decimals (8, 1.75, 0.25), for tables of use.
std::string cores_text(int64_t millis);

}  // namespace claw::sema

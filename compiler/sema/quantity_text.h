// Quantities as people read them in diagnostics, summaries and tables.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace claw::sema {

/// 24GiB, 2TiB, 512MiB, or 1.5GiB when no unit divides it.
std::string bytes_text(int64_t bytes);

/// `need` and `have` as bytes_text writes them, or both in MiB (with a
/// decimal where needed) when bytes_text would write two different sizes
/// alike ("needs 3.4GiB, has 3.4GiB").
std::pair<std::string, std::string> bytes_texts_apart(int64_t need, int64_t have);

/// 2 (cores) or 500m (millicores), as written in the language.
std::string cpu_text(int64_t millis);

/// Cores with up to three decimals (8, 1.75, 0.25), for tables of use.
std::string cores_text(int64_t millis);

}  // namespace claw::sema

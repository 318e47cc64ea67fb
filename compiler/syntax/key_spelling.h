// How a field name or map key is written in claw source: a bare name when
// the lexer reads it as one, else a quoted key (`"grafana.ini"`), so that a
// suggestion or fix naming a key can be pasted back as it stands.
#pragma once

#include <string>
#include <string_view>

namespace claw::syntax {

/// `key` as a program writes it: bare when it lexes as a single name,
/// otherwise a string literal that reads back as exactly `key`.
std::string key_spelling(std::string_view key);

}  // namespace claw::syntax

// The `inline-secret` rule: which keys read like they hold a secret, and
// which literals could be one. One place, so that every check that reports
// `inline-secret` for a key draws the same line.
#pragma once

#include <string_view>

namespace claw::sema {

/// Whether `key` (an env var's name, a chart value's) reads like it holds a
/// secret: it contains a secret word (PASSWORD, PASSWD, PASS, SECRET, TOKEN,
/// API_KEY, PRIVATE_KEY, CREDENTIAL) and is none of the keys that name a
/// Secret or a key in one (`existingSecret`, `secretName`, `tokenSecretRef`,
/// `passwordKey`), point at one (`PASSWORD_FILE`, `TOKEN_URL`,
/// `OAUTH_TOKEN_ENDPOINT`) or set how secrets are handled
/// (`ENABLE_PASSWORD_AUTH`, `PASSWORD_MIN_LENGTH`). Case is ignored.
bool looks_secret_key(std::string_view key);

/// Whether a literal could be a secret's value: anything but a switch
/// (`true`, `off`, `disabled`), an empty string, a number of at most three
/// digits, a URL without credentials (`https://auth.example.com/token`) or
/// an absolute path.
bool could_be_secret_value(std::string_view value);

}  // namespace claw::sema

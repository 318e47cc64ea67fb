// The byte encodings a kubeconfig carries credentials in: base64 (the
// `-data` fields) and PEM. Only the shape is checked here; the transport's
// TLS library checks the certificates themselves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claw::cluster {

/// The bytes that standard, padded base64 `text` encodes (line breaks are
/// skipped, as Go's encoding/base64 does), or nothing when it is not
/// base64.
std::optional<std::string> decode_base64(std::string_view text);

/// Standard, padded base64 of `bytes` (Go's encoding/json for `[]byte`).
std::string encode_base64(std::string_view bytes);

/// Whether `bytes` hold at least one PEM block (`-----BEGIN X-----` ...
/// `-----END X-----`).
bool looks_like_pem(std::string_view bytes);

}  // namespace claw::cluster

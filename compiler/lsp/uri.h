// `file:` URIs and the paths they name (RFC 8089, percent-encoding per RFC 3986).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claw::lsp {

/// The absolute path a `file://` URI names, percent-decoded; nothing for
/// another scheme.
std::optional<std::string> path_from_uri(std::string_view uri);
/// The `file://` URI of an absolute path, every byte but the unreserved
/// ones and `/` percent-encoded (as VS Code writes them).
std::string uri_from_path(std::string_view path);

}  // namespace claw::lsp

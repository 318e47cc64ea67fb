#pragma once
// The JSON spellings of the values Kubernetes protobuf messages carry as
// numbers or bytes: Go durations, RFC 3339 times, base64 bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace claw::sim::proto {

// Go's time.Duration.String() of `nanoseconds` ("1h2m3.5s", "1.5ms", "0s").
std::string go_duration_string(std::int64_t nanoseconds);

// `seconds` + `micros` since the epoch in UTC as RFC 3339 with `fraction_digits`
// (0 or 6) fractional digits, or nullopt outside years 0..9999.
std::optional<std::string> rfc3339_utc(std::int64_t seconds, std::int64_t micros, int fraction_digits);

// Standard base64 with padding, as Go's encoding/json writes []byte.
std::string base64_encode(std::string_view bytes);

// `text` with each invalid UTF-8 sequence replaced by U+FFFD, as Go's encoding/json writes strings.
std::string valid_utf8(std::string_view text);

}  // namespace claw::sim::proto

#pragma once
// The human-readable ages `kubectl get` shows (AGE, DURATION, LAST SCHEDULE):
// apimachinery's duration.HumanDuration and the printers'
// translateTimestampSince, computed against an explicit `now`.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace claw::sim {

using TimePoint = std::chrono::system_clock::time_point;

// k8s.io/apimachinery/pkg/util/duration.HumanDuration: "45s", "3m20s", "2d5h", "3y".
std::string human_duration(std::chrono::nanoseconds d);

// An RFC 3339 timestamp ("2024-05-01T10:00:00Z", fractions and offsets
// accepted), or nullopt when `text` is not one.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// printers.go translateTimestampSince: "<unknown>" for an absent or unparsable
// timestamp, else human_duration(now - timestamp).
std::string age_since(std::string_view timestamp, TimePoint now);

}  // namespace claw::sim

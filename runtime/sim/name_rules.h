#pragma once
// The string format rules of k8s.io/apimachinery pkg/util/validation
// (validation.go) and pkg/api/validation/path: each returns the real error
// messages (empty when the value is valid).

#include <string>
#include <string_view>
#include <vector>

namespace claw::sim {

using Messages = std::vector<std::string>;

Messages dns1123_label(std::string_view value);       // IsDNS1123Label
Messages dns1123_subdomain(std::string_view value);   // IsDNS1123Subdomain
Messages dns1035_label(std::string_view value);       // IsDNS1035Label
Messages path_segment_name(std::string_view value);   // path.IsValidPathSegmentName
Messages qualified_name(std::string_view value);      // IsQualifiedName (label and annotation keys)
Messages label_value(std::string_view value);         // IsValidLabelValue
Messages port_number(long long port);                 // IsValidPortNum
Messages port_name(std::string_view value);           // IsValidPortName (IANA_SVC_NAME)
Messages config_map_key(std::string_view value);      // IsConfigMapKey (ConfigMap and Secret keys)

}  // namespace claw::sim

#pragma once
// Label and field selectors of LIST, WATCH and DELETE-collection, parsed as
// k8s.io/apimachinery pkg/labels/selector.go and pkg/fields/selector.go do.

#include "runtime/sim/json_schema.h"

#include <expected>
#include <string>
#include <vector>

namespace claw::sim {

struct LabelRequirement {
  enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist };
  std::string key;
  Op op = Op::Equals;
  std::vector<std::string> values;
};

using LabelSelector = std::vector<LabelRequirement>;  // all must hold

// Parses `app=web,tier in (a,b),!legacy`; the error is the server's message.
std::expected<LabelSelector, std::string> parse_label_selector(std::string_view text);
bool matches(const LabelSelector& selector, const Json& labels);

struct FieldRequirement {
  std::string field;  // "metadata.name"
  bool equals = true;
  std::string value;
};
using FieldSelector = std::vector<FieldRequirement>;

// Parses `metadata.name=web,metadata.namespace!=x`; set operators are errors.
std::expected<FieldSelector, std::string> parse_field_selector(std::string_view text);
// The fields a kind can be selected by (metadata.name and metadata.namespace
// for every kind, plus the kind's own: spec.nodeName and status.phase for
// pods, type for secrets, ...).
std::vector<std::string> selectable_fields(std::string_view group, std::string_view kind);
// The value of `field` of `object` as the field-selector sees it.
std::string field_value(const Json& object, std::string_view field);
bool matches(const FieldSelector& selector, const Json& object);

}  // namespace claw::sim

#pragma once
// The resource types the sim serves: every kind of the official OpenAPI
// document (REST paths give plural names, scope, verbs and subresources),
// plus the kinds that CustomResourceDefinitions add while it runs.

#include "runtime/sim/json_schema.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace claw::sim {

struct Subresource {
  std::string name;           // "status", "scale", "log", ...
  std::string group, version; // of the response kind when it differs (scale)
  std::string kind;
  std::vector<std::string> verbs;
};

// One served resource in one version.
struct ResourceType {
  std::string group;    // "" for core
  std::string version;
  std::string kind;     // "Deployment"
  std::string plural;   // "deployments"
  std::string singular; // "deployment"
  bool namespaced = false;
  std::vector<std::string> verbs;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<Subresource> subresources;
  bool custom = false;     // from a CRD: no strategic merge patch, lists atomic
  SchemaView schema;       // the kind's root schema (empty: untyped)
  Json printer_columns = Json::array();  // a CRD version's additionalPrinterColumns

  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // `deployments.apps`, or `pods` for core: the name errors use.
  std::string group_resource() const { return group.empty() ? plural : plural + "." + group; }
  // `Deployment.apps`, or `Pod`: the qualified kind 422 messages use.
  std::string group_kind() const { return group.empty() ? kind : kind + "." + group; }
  bool has_subresource(std::string_view name) const;
  bool has_verb(std::string_view verb) const;
};

// A group and its versions, the preferred (served first) one first.
struct ApiGroup {
  std::string name;
  std::vector<std::string> versions;
};

class Registry {
 public:
  // The built-in kinds of the embedded Kubernetes 1.31 document.
  static Registry builtin();

  const ResourceType* find(std::string_view group, std::string_view version, std::string_view plural) const;
  const ResourceType* find_kind(std::string_view group, std::string_view version, std::string_view kind) const;
  // Every version of a group/plural (objects are stored once per group/plural).
  std::vector<const ResourceType*> versions_of(std::string_view group, std::string_view plural) const;
  std::vector<const ResourceType*> in_group_version(std::string_view group, std::string_view version) const;
  std::vector<ApiGroup> groups() const;  // core ("") first, then by name
  bool has_group_version(std::string_view group, std::string_view version) const;

  // Adds the kinds one CustomResourceDefinition serves (replacing what an
  // earlier version of the same CRD added); `crd` is the stored object.
  void add_crd(const Json& crd);
  // Removes the kinds a CRD named `name` (`<plural>.<group>`) added.
  void remove_crd(std::string_view name);

 private:
  void add(ResourceType type);

  std::vector<std::unique_ptr<ResourceType>> types_;
  // CRD name -> the schemas its types point into.
  std::map<std::string, std::shared_ptr<Json>, std::less<>> crd_schemas_;
  std::map<std::string, std::vector<std::string>, std::less<>> group_versions_;
};

// Kubernetes' version priority (v1 > v1beta2 > v1beta1 > v1alpha1 > other):
// true when `a` sorts before `b`.
bool version_before(std::string_view a, std::string_view b);

}  // namespace claw::sim

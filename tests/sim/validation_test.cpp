#include "runtime/sim/name_rules.h"
#include "runtime/sim/registry.h"
#include "runtime/sim/validation.h"

#include <doctest/doctest.h>

#include <sstream>

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::ostringstream out;
    for (const std::string& s : v) out << "\n  " << s;
    return out.str().c_str();
  }
};
}  // namespace doctest

using namespace claw::sim;

namespace {

const Registry& builtin() {
  static const Registry r = Registry::builtin();
  return r;
}

const ResourceType& kind(const char* group, const char* plural) { return *builtin().find(group, "v1", plural); }

// "<field>: <message>" per cause, as the 422 message lists them.
std::vector<std::string> errors(const ResourceType& type, const char* object, const char* old = nullptr) {
  Json o = Json::parse(object);
  Json prev = old != nullptr ? Json::parse(old) : Json();
  std::vector<std::string> out;
  for (const Cause& c : validate_object(type, o, old != nullptr ? &prev : nullptr)) out.push_back(c.field + ": " + c.message);
  return out;
}

const std::string kSubdomain =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kLabel =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with "
    "an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kDns1035 =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and "
    "end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const char* kDeployment = R"({"metadata":{"name":"web"},"spec":{"replicas":1,
  "selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}})";

}  // namespace

TEST_CASE("validation: name rules give apimachinery's messages") {
  CHECK(dns1123_subdomain("web.example").empty());
  CHECK(dns1123_subdomain("Web") == Messages{kSubdomain});
  CHECK(dns1123_subdomain(std::string(254, 'a')) == Messages{"must be no more than 253 characters"});
  CHECK(dns1123_label("web-1").empty());
  CHECK(dns1123_label("web.1") == Messages{"must not contain dots"});
  CHECK(dns1123_label("-web") == Messages{kLabel});
  CHECK(dns1123_label(std::string(64, 'a')) == Messages{"must be no more than 63 characters"});
  CHECK(dns1035_label("1web") == Messages{kDns1035});
  CHECK(path_segment_name("system:admin").empty());
  CHECK(path_segment_name("..") == Messages{"may not be '..'"});
  CHECK(path_segment_name("a/b%c") == Messages{"may not contain '/'", "may not contain '%'"});
  CHECK(qualified_name("app.kubernetes.io/name").empty());
  CHECK(qualified_name("a/b/c").size() == 1);
  CHECK(qualified_name("/x") == Messages{"prefix part must be non-empty"});
  CHECK(qualified_name("Example.com/x") == Messages{"prefix part " + kSubdomain});
  CHECK(label_value("").empty());
  CHECK(label_value("a b") ==
        Messages{"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
                 "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
                 "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"});
  CHECK(port_number(0) == Messages{"must be between 1 and 65535, inclusive"});
  CHECK(port_number(65535).empty());
  CHECK(port_name("http").empty());
  CHECK(port_name("-a--") == Messages{"must not contain consecutive hyphens", "must not begin or end with a hyphen"});
  CHECK(port_name("8080") == Messages{"must contain at least one letter (a-z)"});
  CHECK(config_map_key("..a") == Messages{"must not start with '..'"});
  CHECK(config_map_key("a b").size() == 1);
}

TEST_CASE("validation: object metadata") {
  const ResourceType& cm = kind("", "configmaps");
  struct Case {
    const ResourceType* type;
    const char* object;
    std::vector<std::string> errors;
  };
  const Case cases[] = {
      {&cm, R"({"metadata":{"name":"ok"}})", {}},
      {&cm, R"({"metadata":{}})", {"metadata.name: Required value: name or generateName is required"}},
      {&cm, R"({"metadata":{"name":"Bad_Name"}})", {"metadata.name: Invalid value: \"Bad_Name\": " + kSubdomain}},
      {&kind("", "namespaces"), R"({"metadata":{"name":"a.b"}})", {"metadata.name: Invalid value: \"a.b\": must not contain dots"}},
      {&kind("", "namespaces"), R"({"metadata":{"name":"x","namespace":"y"}})",
       {"metadata.namespace: Forbidden: not allowed on this type"}},
      {&kind("", "services"), R"({"metadata":{"name":"1svc"},"spec":{"clusterIP":"None"}})",
       {"metadata.name: Invalid value: \"1svc\": " + kDns1035}},
      {&kind("rbac.authorization.k8s.io", "clusterroles"), R"({"metadata":{"name":"system:Weird Name"}})", {}},
      {&kind("rbac.authorization.k8s.io", "roles"), R"({"metadata":{"name":"a/b"}})",
       {"metadata.name: Invalid value: \"a/b\": may not contain '/'"}},
      {&cm, R"({"metadata":{"name":"ok","labels":{"app":"a b"}}})",
       {"metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric "
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
        "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"}},
      {&cm, R"({"metadata":{"name":"ok","labels":{"/x":"y"},"annotations":{"Example.COM/Ok":"y","a//b":"z"}}})",
       {"metadata.labels: Invalid value: \"/x\": prefix part must be non-empty",
        "metadata.annotations: Invalid value: \"a//b\": a qualified name must consist of alphanumeric characters, '-', '_' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
        "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
        "and '/' (e.g. 'example.com/MyName')"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.object);
    CHECK(errors(*c.type, c.object) == c.errors);
  }
  Json big = {{"metadata", {{"name", "ok"}, {"annotations", {{"a", std::string(256 * 1024, 'x')}}}}}};
  std::vector<Cause> causes = validate_object(cm, big);
  REQUIRE(causes.size() == 1);
  CHECK(causes[0].reason == "FieldValueTooLong");
  CHECK(causes[0].message == "Too long: may not be more than 262144 bytes");
}

TEST_CASE("validation: workloads need a selector that matches the template") {
  const ResourceType& deploy = kind("apps", "deployments");
  CHECK(errors(deploy, kDeployment).empty());
  struct Case {
    const ResourceType* type;
    const char* object;
    std::vector<std::string> errors;
  };
  const Case cases[] = {
      {&deploy, R"({"metadata":{"name":"web"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"web","image":"nginx"}]}}}})",
       {"spec.selector: Required value",
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"}},
      {&deploy, R"({"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"x"}},
         "template":{"metadata":{"labels":{"app":"web","tier":"fe"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}})",
       {"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"tier\":\"fe\"}: `selector` does not match template `labels`"}},
      {&deploy, R"({"metadata":{"name":"web"},"spec":{"replicas":-1,"selector":{},
         "template":{"spec":{"containers":[{"name":"web","image":"nginx"}]}}}})",
       {"spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"}},
      {&kind("apps", "statefulsets"), R"({"metadata":{"name":"db"},"spec":{"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["db"]}]},
         "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"pg"}]}}}})", {}},
      {&kind("apps", "statefulsets"), R"({"metadata":{"name":"db"},"spec":{"selector":{"matchExpressions":[{"key":"app","operator":"NotIn","values":["db"]}]},
         "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"pg"}]}}}})",
       {"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`"}},
      {&kind("apps", "daemonsets"), R"({"metadata":{"name":"agent"},"spec":{
         "template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"a","image":"x"}]}}}})",
       {"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"a\"}: `selector` does not match template `labels`"}},
      {&deploy, R"({"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
         "template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Never","containers":[
           {"name":"Web","ports":[{"containerPort":70000,"name":"http"},{"containerPort":80,"name":"http"},{"protocol":"ICMP","containerPort":1}]},
           {"image":"x"}]}}}})",
       {"spec.template.spec.containers[0].name: Invalid value: \"Web\": " + kLabel,
        "spec.template.spec.containers[0].image: Required value",
        "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.template.spec.containers[0].ports[1].name: Duplicate value: \"http\"",
        "spec.template.spec.containers[0].ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "spec.template.spec.containers[1].name: Required value",
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""}},
      {&kind("", "pods"), R"({"metadata":{"name":"p"},"spec":{"containers":[]}})", {"spec.containers: Required value"}},
      {&kind("", "pods"), R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}]}})",
       {"spec.containers[1].name: Duplicate value: \"a\""}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.object);
    CHECK(errors(*c.type, c.object) == c.errors);
  }
  std::vector<Cause> causes = validate_object(deploy, Json::parse(R"({"metadata":{"name":"web"},"spec":{}})"));
  REQUIRE(causes.size() >= 2);
  CHECK(causes[0].reason == "FieldValueRequired");
  CHECK(causes[1].reason == "FieldValueInvalid");
}

TEST_CASE("validation: services, secrets and config maps") {
  const ResourceType& svc = kind("", "services");
  struct Case {
    const ResourceType* type;
    const char* object;
    std::vector<std::string> errors;
  };
  const Case cases[] = {
      {&svc, R"({"metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetPort":8080}]}})", {}},
      {&svc, R"({"metadata":{"name":"s"},"spec":{}})", {"spec.ports: Required value"}},
      {&svc, R"({"metadata":{"name":"s"},"spec":{"clusterIP":"None"}})", {}},
      {&svc, R"({"metadata":{"name":"s"},"spec":{"type":"ExternalName","externalName":"x.example"}})", {}},
      {&svc, R"({"metadata":{"name":"s"},"spec":{"ports":[{"port":0,"targetPort":"Web"},{"name":"b","port":1,"targetPort":0}]}})",
       {"spec.ports[0].name: Required value", "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: \"Web\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"}},
      {&kind("", "secrets"), R"({"metadata":{"name":"s"},"data":{"a.b":"eA==","..x":"eA=="},"stringData":{"ok_KEY":"v"}})",
       {"data[..x]: Invalid value: \"..x\": must not start with '..'"}},
      {&kind("", "configmaps"), R"({"metadata":{"name":"c"},"data":{"k":"v","bad key":"v"},"binaryData":{"k":"eA=="}})",
       {"data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' "
        "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        "binaryData[k]: Invalid value: \"k\": duplicate of key present in data"}},
      {&kind("networking.k8s.io", "ingresses"),
       R"({"metadata":{"name":"i"},"spec":{"rules":[{"http":{"paths":[{"path":"/"},{"path":"api","pathType":"Prefix"},
           {"pathType":"ImplementationSpecific"},{"path":"/x","pathType":"Regex"},{"path":"/ok","pathType":"Exact"}]}}]}})",
       {"spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
        "spec.rules[0].http.paths[1].path: Invalid value: \"api\": must be an absolute path",
        "spec.rules[0].http.paths[3].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", "
        "\"ImplementationSpecific\", \"Prefix\""}},
      {&kind("", "persistentvolumeclaims"), R"({"metadata":{"name":"c"},"spec":{}})",
       {"spec.accessModes: Required value: at least 1 access mode is required", "spec.resources[storage]: Required value"}},
      {&kind("", "persistentvolumeclaims"),
       R"({"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteAll"],"resources":{"requests":{"storage":"1Gi"}}}})",
       {"spec.accessModes: Unsupported value: \"ReadWriteAll\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
        "\"ReadWriteOnce\", \"ReadWriteOncePod\""}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.object);
    CHECK(errors(*c.type, c.object) == c.errors);
  }
}

TEST_CASE("validation: immutable fields on update") {
  const ResourceType& deploy = kind("apps", "deployments");
  std::string moved = R"({"metadata":{"name":"web"},"spec":{"replicas":1,
    "selector":{"matchLabels":{"app":"web","v":"2"}},
    "template":{"metadata":{"labels":{"app":"web","v":"2"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}})";
  CHECK(errors(deploy, moved.c_str(), kDeployment) ==
        std::vector<std::string>{"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", "
                                 "\"v\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"});
  std::string same_selector = R"({"metadata":{"name":"web"},"spec":{"replicas":5,
    "selector":{"matchLabels":{"app":"web"},"matchExpressions":[]},
    "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}})";
  CHECK(errors(deploy, same_selector.c_str(), kDeployment).empty());

  const ResourceType& svc = kind("", "services");
  CHECK(errors(svc, R"({"metadata":{"name":"s"},"spec":{"clusterIP":"10.0.0.2","ports":[{"port":80}]}})",
               R"({"metadata":{"name":"s"},"spec":{"clusterIP":"10.0.0.1","ports":[{"port":80}]}})") ==
        std::vector<std::string>{"spec.clusterIP: Invalid value: \"10.0.0.2\": field is immutable"});

  const ResourceType& pvc = kind("", "persistentvolumeclaims");
  const char* claim = R"({"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})";
  CHECK(errors(pvc, R"({"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"2Gi"}}}})", claim).empty());
  std::vector<std::string> got =
      errors(pvc, R"({"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteMany"],"resources":{"requests":{"storage":"1Gi"}}}})", claim);
  REQUIRE(got.size() == 1);
  CHECK(got[0].starts_with("spec: Forbidden: spec is immutable after creation except resources.requests"));

  const ResourceType& job = *builtin().find("batch", "v1", "jobs");
  const char* j1 = R"({"metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x"}]}}}})";
  const char* j2 = R"({"metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"a","image":"y"}]}}}})";
  CHECK(errors(job, j1, j1).empty());
  got = errors(job, j2, j1);
  REQUIRE(got.size() == 1);
  CHECK(got[0].ends_with(": field is immutable"));
}

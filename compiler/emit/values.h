// DIR/values/<release>.yaml: the Helm values of each chart, from its checked
// value tree.
//
// What is written:
// - Records (typed values): every field whose value is not null. The
//   stdlib's chart schemas declare no defaults, so that is exactly what the
//   program set (the chart's own defaults apply to the rest); unset optional
//   fields are null and left out.
// - A chart's `extra` values (keys its schema does not know) merged in at
//   their place, as written; sema lets `extra` add keys only, never set one
//   the typed values could.
// - Maps (`any` values) and lists: as written, null entries included (in Helm
//   a null removes the chart's default for that key).
// - Keys sorted, records' fields included; the bytes are the same on every run.
// - Strings that YAML would read as another type ("true", "0755", "1e3",
//   "null", "") are double-quoted; multi-line strings are literal blocks.
// - Quantities as Kubernetes and Prometheus spell them: bytes "50Gi", cpu
//   "500m" or "2", durations "15d", "30s".
// - Secrets (`secret("NAME")`) are never written: the key is left out and a
//   header comment names the path and the secret, which the HelmChart
//   emitter supplies at apply time (valuesSecrets).
// - A list that holds a secret anywhere inside is left out whole and set by
//   the values Secret instead, its other items included: Helm merges values
//   files map by map but replaces a list whole (helm.sh/docs, "Values
//   Files": "lists are replaced"), so a list split between the two files
//   would lose the items of the first.
#pragma once

#include <string>
#include <vector>

#include "compiler/emit/yaml_doc.h"
#include "compiler/sema/model.h"

namespace YAML {
class Emitter;
}

namespace claw::emit {

/// A values key left out because its value is a secret.
struct SecretValue {
  std::vector<std::string> path;  // keys from the root; list items as "[i]"
  std::string secret;             // the secret's name
  /// `grafana.adminPassword`, `a.list[0]`.
  std::string dotted() const;
};

/// The paths of `chart`'s values that come from secrets, in file order.
std::vector<SecretValue> values_secrets(const sema::Chart& chart);

/// A list of a chart's values that holds a secret: left out of the values
/// file and set whole by the values Secret, as written here with a null
/// where each secret goes (values_secrets names those paths, indices as
/// written).
struct SecretList {
  std::vector<std::string> path;
  yaml::Node value;
  std::string dotted() const;
};

/// The lists of `chart`'s values that hold secrets, outermost only, in
/// file order.
std::vector<SecretList> values_secret_lists(const sema::Chart& chart);

/// The YAML text of `chart`'s values file, header comment included.
std::string values_yaml(const sema::Chart& chart);

/// The values alone, without the header: a HelmChart's `valuesContent`.
std::string values_body(const sema::Chart& chart);

/// One value tree as values files write it (keys sorted, null record fields
/// and secrets left out, quantities spelt "50Gi", "500m", "30s"): for other
/// emitters of checked values, such as resource specs.
yaml::Node value_node(const sema::Value& value);

/// A byte count as a Kubernetes quantity: "50Gi", "45G", "1500".
std::string kube_bytes(int64_t bytes);

}  // namespace claw::emit

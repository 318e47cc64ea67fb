// DIR/secrets.json: the Secrets `claw apply` must create, and where each
// value comes from. Names and sources only: a secret's value is read at
// apply time and never written anywhere.
//
//   {"secrets": [{"name", "namespaces": [...], "key", "from": {"env"} | {"file"},
//                 "source", "used_by": [{"kind", "name", "namespace", "env"} | {"kind": "chart", "name", "values"}]}],
//    "values_secrets": [{"name", "namespace", "key", "chart",
//                        "values": [{"path", "secret"}]}]}
//
// A workload's `secretKeyRef` reads a Secret of its own namespace, so a
// secret is created in every namespace that uses it. A chart's secret
// values are gathered into one Secret whose key `values.yaml` holds them as
// a values document; its HelmChart names it in `valuesSecrets`.
#pragma once

#include <string>

#include "compiler/emit/provenance.h"
#include "compiler/sema/model.h"

namespace claw::emit {

std::string secrets_json(const sema::Model& model, const Where& where = nowhere());

}  // namespace claw::emit

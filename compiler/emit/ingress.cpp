#include "compiler/emit/ingress.h"

#include "compiler/emit/yaml_doc.h"
#include "compiler/sema/exposure.h"

namespace claw::emit {

namespace {

void rule(Tree& y, const sema::Workload& w, const sema::Ingress& ing, const std::string& host) {
  y.begin_map();
  y.str("host", host);
  y.begin_map("http");
  y.begin_seq("paths");
  for (const auto& r : ing.routes) {
    y.begin_map();
    y.begin_map("backend");
    y.begin_map("service");
    y.str("name", sema::service_name(w));
    y.begin_map("port");
    y.str("name", r.port);
    y.end_map();
    y.end_map();
    y.end_map();
    y.str("path", r.path);
    y.str("pathType", sema::path_type_name(r.match));
    y.end_map();
  }
  y.end_seq();
  y.end_map();
  y.end_map();
}

}  // namespace

void ingress_objects(std::vector<Object>& out, const sema::Model& model, const sema::Workload& w, Origin origin) {
  if (!w.exposure) return;
  for (const auto& ing : w.exposure->ingresses) {
    Object& o = add_object(out);
    set_ref(o.ref, "networking.k8s.io/v1", "Ingress", w.namespace_, ing.name);
    o.origin = origin;
    o.owner.assign(w.name);
    o.span = ing.span.valid() ? ing.span : w.span;
    Tree& y = o.body;
    y.begin_map();
    y.str("apiVersion", "networking.k8s.io/v1");
    y.str("kind", "Ingress");
    y.begin_map("metadata");
    if (!ing.annotations.empty()) {
      y.begin_map("annotations");
      for (const auto& [k, v] : ing.annotations) {
        y.key(k);
        y.str(v);
      }
      y.end_map();
    }
    write_managed_labels(y, model, w.name);
    y.str("name", ing.name);
    if (!w.namespace_.empty()) y.str("namespace", w.namespace_);
    y.end_map();
    y.begin_map("spec");
    y.str("ingressClassName", sema::ingress_class(model, ing));
    y.begin_seq("rules");
    for (const auto& host : ing.hosts) rule(y, w, ing, host);
    y.end_seq();
    if (ing.tls_secret) {
      y.begin_seq("tls");
      y.begin_map();
      y.begin_seq("hosts");
      for (const auto& host : ing.hosts) y.str(host);
      y.end_seq();
      y.str("secretName", *ing.tls_secret);
      y.end_map();
      y.end_seq();
    }
    y.end_map();
    y.end_map();
  }
}

}  // namespace claw::emit

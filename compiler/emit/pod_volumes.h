// A workload's pod volumes and their mounts, one per volume kind (see
// `volume` in stdlib/core.claw), written into an object's tree or straight
// as YAML: `Y` is Tree (tree.h) or yaml::Writer (yaml_writer.h).
#pragma once

#include "compiler/emit/tree.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// Whether `v` becomes a pod volume of `w` (a StatefulSet's `size` volumes
/// come from its claim templates instead).
bool is_pod_volume(const sema::Workload& w, const sema::Volume& v, bool stateful);
/// Whether `v` gets a PersistentVolumeClaim of its own in `w`'s file: a
/// `shared` volume, or a `size` volume outside a StatefulSet.
bool has_own_claim(const sema::Volume& v, bool stateful);
/// One item of the pod's `volumes` for `v`, its keys in sorted order.
template <class Y>
void pod_volume(Y& y, const sema::Model& model, const sema::Workload& w, const sema::Volume& v);
/// One item of a container's `volumeMounts` for `v`.
template <class Y>
void volume_mount(Y& y, const sema::Volume& v);

}  // namespace claw::emit

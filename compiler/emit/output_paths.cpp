#include "compiler/emit/output_paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>
#include <unordered_map>

namespace claw::emit {

std::string workload_path(std::string_view namespace_, std::string_view name) {
  return fmt::format("manifests/{}/{}.yaml", namespace_, name);
}

std::string resource_path(std::string_view namespace_, std::string_view name, std::string_view kind_name) {
  std::string kind(kind_name);
  for (char& c : kind)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  // A cluster-scoped object's folder is one no namespace can be named.
  return fmt::format("manifests/{}/{}.{}.yaml", namespace_.empty() ? "_cluster" : namespace_, name, kind);
}

std::string resource_path(const sema::CustomResource& r) {
  return resource_path(r.namespaced ? std::string_view(r.namespace_) : std::string_view(), r.name, r.kind);
}

std::string operator_slicing_path(std::string_view namespace_, std::string_view name) {
  return fmt::format("manifests/{}/{}.configmap.yaml", namespace_, name);
}

std::string manifest_path(const Object& o) {
  switch (o.origin) {
    case Origin::Service:
    case Origin::Daemon:
    case Origin::Job:
    case Origin::Cron: return workload_path(o.ref.namespace_, o.owner);
    case Origin::Resource: return resource_path(o.ref.namespace_, o.ref.name, o.ref.kind);
    case Origin::HelmChart: return fmt::format("manifests/kube-system/{}.helmchart.yaml", o.owner);
    case Origin::NfsVolume: return std::string(kNfsVolumesPath);
    case Origin::NfsClaim: return nfs_claims_path(o.ref.namespace_);
    case Origin::Namespace: return std::string(kNamespacesPath);
    case Origin::RuntimeClass: return std::string(kRuntimeClassPath);
    case Origin::OperatorSlicing: return operator_slicing_path(o.ref.namespace_, o.ref.name);
    case Origin::Secret:
    case Origin::ValuesSecret: return {};
  }
  return {};
}

std::string helm_chart_path(const sema::Chart& chart) {
  Object o;
  o.origin = Origin::HelmChart;
  o.owner = chart.name;
  return manifest_path(o);
}

std::string values_path(const sema::Chart& chart) { return fmt::format("values/{}.yaml", chart.name); }

std::string join_script_path(const sema::Machine& m) { return fmt::format("join/{}.sh", m.name); }

std::string nfs_claims_path(std::string_view namespace_) {
  return fmt::format("manifests/{}/nfs.persistentvolumeclaims.yaml", namespace_);
}

std::vector<OutputClaim> output_claims(const sema::Model& model) {
  std::vector<OutputClaim> claims;
  for (const auto& w : model.workloads)
    claims.push_back({workload_path(w.namespace_, w.name), w.span,
                      fmt::format("{} `{}`", sema::workload_kind_name(w.kind), w.name), 3});
  // A namespace's NFS claims, at the first volume that mounts an export.
  std::set<std::string_view> nfs_namespaces;
  for (const auto& w : model.workloads)
    for (const auto& v : w.volumes)
      if (v.nfs_machine && nfs_namespaces.insert(w.namespace_).second)
        claims.push_back({nfs_claims_path(w.namespace_), v.span,
                          fmt::format("the NFS claims of namespace `{}` (volume `{}` of `{}`)", w.namespace_, v.name, w.name),
                          3});
  for (const auto& r : model.resources)
    claims.push_back({resource_path(r), r.span, fmt::format("resource `{}` of kind `{}`", r.name, r.kind), 3});
  for (const auto& c : model.charts) {
    claims.push_back({helm_chart_path(c), c.span, fmt::format("the HelmChart of chart `{}`", c.name), 3});
    claims.push_back({values_path(c), c.span, fmt::format("the values of chart `{}`", c.name), 2});
  }
  for (const auto& m : model.machines)
    claims.push_back({join_script_path(m), m.span, fmt::format("the join script of machine `{}`", m.name), 2});
  return claims;
}

bool same_output_paths(const sema::Workload& a, const sema::Workload& b) {
  auto nfs = [](const sema::Workload& w) {
    return std::ranges::any_of(w.volumes, [](const sema::Volume& v) { return v.nfs_machine.has_value(); });
  };
  return a.namespace_ == b.namespace_ && a.name == b.name && nfs(a) == nfs(b);
}

bool sound_output_path(std::string_view path, size_t depth) {
  size_t parts = 0, at = 0;
  while (at <= path.size()) {
    size_t end = std::min(path.find('/', at), path.size());
    std::string_view part = path.substr(at, end - at);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string_view::npos) return false;
    ++parts;
    at = end + 1;
  }
  return parts == depth;
}

void check_output_paths(const sema::Model& model, diag::Sink& sink) {
  std::vector<OutputClaim> claims = output_claims(model);
  // In source order, so that the later declaration is the one in error.
  std::stable_sort(claims.begin(), claims.end(), [](const OutputClaim& a, const OutputClaim& b) {
    return std::pair(a.span.file.value, a.span.begin) < std::pair(b.span.file.value, b.span.begin);
  });
  std::unordered_map<std::string_view, const OutputClaim*> first;
  for (const auto& c : claims) {
    if (!sound_output_path(c.path, c.depth)) {
      sink.report(diag::Kind::InvalidName, c.span,
                  fmt::format("{} would be written to `{}`, which is not a file of the output folder", c.what, c.path))
          .hint("namespaces, names and kinds become folder and file names: none can be empty, `.` or `..`, or hold `/`");
      continue;
    }
    auto [it, fresh] = first.emplace(c.path, &c);
    if (fresh) continue;
    sink.report(diag::Kind::OutputPathClash, c.span,
                fmt::format("{} and {} would be written to one file, `{}`", c.what, it->second->what, c.path))
        .note(it->second->span, fmt::format("{} comes from here", it->second->what))
        .hint("rename one of them: each file of the output holds one declaration's objects");
  }
}

}  // namespace claw::emit

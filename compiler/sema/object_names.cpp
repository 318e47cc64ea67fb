#include "compiler/sema/object_names.h"

#include <fmt/format.h>

#include <algorithm>

namespace claw::sema {

bool is_stateful(const Workload& w) {
  return w.kind == WorkloadKind::Service &&
         std::any_of(w.volumes.begin(), w.volumes.end(), [](const Volume& v) { return v.kind == VolumeKind::PerReplica; });
}

std::string_view controller_kind(const Workload& w) {
  switch (w.kind) {
    case WorkloadKind::Service: return is_stateful(w) ? "StatefulSet" : "Deployment";
    case WorkloadKind::Daemon: return "DaemonSet";
    case WorkloadKind::Job: return "Job";
    case WorkloadKind::Cron: return "CronJob";
  }
  return "Deployment";
}

std::string headless_service_name(std::string_view workload) { return fmt::format("{}-pods", workload); }

std::string config_map_name(std::string_view workload) { return fmt::format("{}-config", workload); }

std::string nfs_claim_name(std::string_view machine, std::string_view export_name) {
  return fmt::format("nfs-{}-{}", machine, export_name);
}

std::string nfs_volume_name(std::string_view claim, std::string_view namespace_) {
  return fmt::format("{}-{}", claim, namespace_);
}

std::string claim_name(std::string_view workload, std::string_view volume) {
  return fmt::format("{}-{}", workload, volume);
}

std::string stateful_claim_name(std::string_view workload, std::string_view volume, int ordinal) {
  return fmt::format("{}-{}-{}", volume, workload, ordinal);
}

std::string chart_values_secret_name(std::string_view chart) { return fmt::format("{}-claw-values", chart); }

}  // namespace claw::sema

// A Secret's values at apply time: read from each declaration's source (an
// environment variable of the running claw, or a file) into the Secret's
// `data`, in memory only, for the apply body; checked without being kept,
// for `claw plan`; and compared with a live Secret's `data` without being
// shown. No value ever reaches an error, a log or a plan.
#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/emit/object.h"
#include "compiler/io/filesystem.h"
#include "compiler/sema/model.h"
#include "compiler/source/source.h"
#include "runtime/cluster/environment.h"
#include "runtime/plan/field_diff.h"

namespace claw::apply {

/// Why a Secret's values could not be read: names the secret and its
/// source and says what to do, never holding a value.
struct SecretError {
  std::string secret;   // the declaration's name
  source::Span span;    // the declaration (invalid when none is known), for file:line:col
  std::string message;  // "secret `grafana-admin`: environment variable GRAFANA_ADMIN_PASSWORD is not set; ..."
};

/// A declared secret's source by the declaration's name, or nullptr when
/// no secret of that name is declared.
using SecretLookup = std::function<const emit::SecretSource::Item*(std::string_view name)>;

/// The source of each of `model`'s `secret` declarations, in model order,
/// including those no Secret object is made for (read only by charts).
std::vector<emit::SecretSource::Item> declared_secrets(const sema::Model& model);

/// A lookup over `items`, which it keeps.
SecretLookup lookup_of(std::vector<emit::SecretSource::Item> items);

/// The folder a declaration's relative `file` path is read from.
using FolderOf = std::function<std::string(const source::Span&)>;

/// The folder of the `.claw` file each span of `sources` lies in (`.` for
/// a span of no file): a secret's file is relative to the folder of the
/// file that declares it, as an `import` is. `sources` must outlive it.
FolderOf declaration_folder(const source::SourceManager& sources);

/// What values are read from: the environment claw runs in, the
/// filesystem, and the folder of each declaration.
struct ValueSources {
  const cluster::Environment& env;
  const io::FileSystem& fs;
  FolderOf folder_of;
};

/// The most bytes of values one Secret holds: kube-apiserver refuses a
/// Secret whose `data` values add up to more (MaxSecretSize,
/// k8s.io/api/core/v1/types.go; summed in ValidateSecret,
/// pkg/apis/core/validation/validation.go).
inline constexpr size_t kMaxSecretBytes = 1024 * 1024;

/// The `data` of the Secret `source` describes, key → standard padded
/// base64 of the value (as the API carries `[]byte`), for the apply body in
/// memory only. A declared secret's value is its environment variable's
/// value or its file's bytes, exactly (no trimming, as `kubectl create
/// secret --from-file` takes "the file content"); a chart's values Secret
/// has one key, `values.yaml`, a YAML document setting each value path to
/// its secret's value. The first source that is missing, empty, unreadable
/// or too large is the error.
std::expected<nlohmann::json, SecretError> secret_data(const emit::SecretSource& source, const SecretLookup& lookup,
                                                       const ValueSources& sources);

/// Every problem with the sources of `objects`' Secrets (each declaration
/// reported once), reading each value and keeping none: what `claw plan`
/// checks before it shows anything. Empty when all can be read.
std::vector<SecretError> check_secret_sources(const std::vector<emit::Object>& objects, const SecretLookup& lookup,
                                              const ValueSources& sources);

/// The changes applying the Secret `source` describes would make to the
/// `data` of `live` (the Secret as the API returns it), one per key, with
/// plan::kSensitive in place of every value: a key added, a value changed,
/// or a key claw applied before (managedFields of manager `claw`), no
/// longer declares and no other field manager owns, which server-side apply
/// removes. Keys other managers set are left alone, as apply leaves them.
std::expected<std::vector<plan::FieldChange>, SecretError> secret_changes(const emit::SecretSource& source,
                                                                          const SecretLookup& lookup,
                                                                          const ValueSources& sources,
                                                                          const nlohmann::json& live);

/// Whether applying `source` would change `live`'s `data` (secret_changes
/// is not empty).
std::expected<bool, SecretError> secret_differs(const emit::SecretSource& source, const SecretLookup& lookup,
                                                const ValueSources& sources, const nlohmann::json& live);

}  // namespace claw::apply

// Writing the object list (object.h) as `claw build`'s manifest files: the
// objects of one file as one YAML stream, after a header comment saying
// what made them, each document after a `# source: file:line` comment
// naming its declaration. Which file an object goes to is decided in one
// place, manifest_path (output_paths.h).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "compiler/emit/object.h"
#include "compiler/emit/provenance.h"

namespace claw::emit {

/// The header comment of the file whose first object `owner` made (a
/// workload, chart, ... named by `origin`).
std::string manifest_header(Origin origin, std::string_view owner);
/// The header comment of the file whose objects `o` is the first of.
inline std::string manifest_header(const Object& o) { return manifest_header(o.origin, o.owner); }

/// Appends `objects`, the objects of one file, to `out` as a YAML stream.
void append_manifest(std::string& out, std::span<const Object> objects, const Where& where);

/// The files of `objects` (those written to files), keyed by path relative
/// to the output folder; objects of one file keep their order.
std::map<std::string, std::string> manifest_files(std::span<const Object> objects, const Where& where);

}  // namespace claw::emit

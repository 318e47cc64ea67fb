// `claw fmt`: lays out `.claw` files canonically (compiler/format/), as
// gofmt does Go files: prints them, rewrites them (-w) or lists those that
// would change (--check, gofmt's -l with terraform fmt -check's exit code);
// `-` is standard input, as for terraform fmt. See
// https://pkg.go.dev/cmd/gofmt and
// https://developer.hashicorp.com/terraform/cli/commands/fmt.
#pragma once

#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"

namespace claw::driver {

/// The options of `claw fmt` (`claw help fmt`).
struct FmtOptions {
  std::vector<std::string> paths;  // files, folders (recursively) or `-`; none: the current folder
  bool write = false;              // -w: rewrite files that change, in place
  bool check = false;              // --check: list files that would change, exit 1 if any
};

/// Runs `claw fmt`. Exit 0: done (with --check: every file is formatted);
/// 1: a file would change (--check), has a syntax error, or could not be
/// read or written; 2: a usage error. A file with an error is never changed.
int run_fmt(const FmtOptions& options, const io::FileSystem& fs, const Environment& env, Console& console);

}  // namespace claw::driver

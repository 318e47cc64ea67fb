// DiskFileSystem::replace_tree's work: writing a whole output tree so that
// `dir` is only ever the old tree or the new one, doing as little to the
// disk as the change between them needs.
#pragma once

#include <expected>
#include <map>
#include <string>

namespace claw::io {

/// Makes `dir` hold exactly `files` (relative paths → contents):
/// - when `dir` already holds exactly those files, byte for byte, and
///   nothing else, it is left untouched;
/// - otherwise the tree is staged beside `dir` (same filesystem) and
///   renamed into place; files the previous tree holds byte for byte are
///   hard-linked from it rather than written, then the previous tree is
///   deleted.
/// On failure `dir` is left as it was and the reason is returned.
std::expected<void, std::string> replace_tree_on_disk(const std::string& dir, const std::map<std::string, std::string>& files);

}  // namespace claw::io

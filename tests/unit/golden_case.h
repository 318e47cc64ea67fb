// Reading and writing txtar-like golden files: a leading comment, then
// sections introduced by `-- NAME --` lines.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace claw::testing {

struct GoldenCase {
  std::string comment;
  std::vector<std::pair<std::string, std::string>> sections;

  static GoldenCase read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    GoldenCase c;
    std::string line;
    std::string* cur = &c.comment;
    std::istringstream lines(ss.str());
    while (std::getline(lines, line)) {
      if (line.size() > 6 && line.starts_with("-- ") && line.ends_with(" --")) {
        c.sections.emplace_back(line.substr(3, line.size() - 6), "");
        cur = &c.sections.back().second;
        continue;
      }
      *cur += line + "\n";
    }
    return c;
  }

  bool has(const std::string& name) const {
    for (auto& [n, _] : sections)
      if (n == name) return true;
    return false;
  }

  std::string section(const std::string& name) const {
    for (auto& [n, t] : sections)
      if (n == name) return t;
    return "";
  }

  void set(const std::string& name, const std::string& text, bool keep_if_empty) {
    for (auto it = sections.begin(); it != sections.end(); ++it)
      if (it->first == name) {
        if (text.empty() && !keep_if_empty) sections.erase(it);
        else it->second = text;
        return;
      }
    if (!text.empty() || keep_if_empty) sections.emplace_back(name, text);
  }

  void write(const std::string& path) const {
    std::ofstream out(path, std::ios::binary);
    out << comment;
    for (auto& [n, t] : sections) out << "-- " << n << " --\n" << t;
  }
};

}  // namespace claw::testing

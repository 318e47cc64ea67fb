// The builtin functions of the language (`tcp(8080)`, `secret(db-pass)`,
// ...): their names and what they take, for messages, hover and completion.
// sema/handle_call.cpp checks calls of them.
#pragma once

#include <span>
#include <string_view>

namespace claw::sema {

/// One builtin function as users see it.
struct BuiltinFunction {
  std::string_view name;       // "http"
  std::string_view signature;  // "http(path, port)"
  std::string_view result;     // what a call stands for: "a probe", "a secret reference", "a secret source"
};

/// Every builtin function, in the order the language's documentation lists them.
std::span<const BuiltinFunction> builtin_functions();

}  // namespace claw::sema

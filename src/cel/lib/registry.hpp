// The function library: every overload the checker can resolve and the evaluator call.
//
// Overloads are declared with readable signatures ("list(A), int -> A") in one table per
// topic (arithmetic.cpp, strings.cpp, ...). The registry is built once, never changes,
// and is shared by every program.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cel/eval/frame.hpp"
#include "cel/types/type.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

// Arguments are never errors when an implementation is called: the evaluator
// propagates errors before dispatch. Kinds match the declared parameter kinds.
using FunctionImpl = Value (*)(Frame& frame, const Value* args);

inline constexpr std::uint8_t kAnyKind = 0xFF;

struct Overload {
  std::string id;        // stable overload id, e.g. "add_int64"
  std::string function;  // CEL name, e.g. "_+_", "size", "contains"
  bool member = false;   // receiver style: params[0] is the receiver
  std::vector<const Type*> params;
  const Type* result = nullptr;
  FunctionImpl impl = nullptr;
  std::vector<std::uint8_t> kinds;  // per param: required ValueKind or kAnyKind
  bool foldable = true;             // pure: may run at compile time on constants
  // Reads the evaluation context (as_of, calendars): never folded, and not invariant.
  bool contextual = false;

  bool accepts(const Value* args) const noexcept;
};

class FunctionRegistry {
 public:
  // The standard library plus safeguard's extensions, built on first use.
  static const FunctionRegistry& standard();

  // Declares an overload; `signature` is "T1, T2 -> R" with types such as int, uint,
  // double, bool, string, bytes, null_type, timestamp, duration, date, dyn, type,
  // list(T), map(K, V), optional(T), type(T) and single capital letters for type parameters.
  Overload& add(std::string id, std::string function, std::string_view signature,
                FunctionImpl impl);
  Overload& add_member(std::string id, std::string function, std::string_view signature,
                       FunctionImpl impl);

  // Overloads of `function` in global or member form with `arity` parameters
  // (including the receiver for member calls).
  const std::vector<const Overload*>& find(const std::string& function, bool member,
                                           std::size_t arity) const;
  bool has_function(const std::string& function) const;
  const Overload* by_id(const std::string& id) const;
  std::vector<std::string> function_names() const;

  TypeStore& types() { return types_; }

 private:
  const Type* parse_type(std::string_view& text);
  Overload& declare(std::string id, std::string function, bool member, std::string_view signature,
                    FunctionImpl impl);

  TypeStore types_;
  std::vector<std::unique_ptr<Overload>> overloads_;
  std::unordered_map<std::string, std::vector<const Overload*>> by_key_;  // name/member/arity
  std::unordered_map<std::string, const Overload*> by_id_;
};

// Declarations by topic (each in its own file).
void register_operators(FunctionRegistry& r);
void register_conversions(FunctionRegistry& r);
void register_strings(FunctionRegistry& r);
void register_time(FunctionRegistry& r);
void register_dates(FunctionRegistry& r);
void register_lists(FunctionRegistry& r);
void register_math(FunctionRegistry& r);       // cel-go's math extension
void register_sets(FunctionRegistry& r);       // cel-go's sets extension
void register_encoders(FunctionRegistry& r);   // cel-go's encoders extension (base64)
void register_format(FunctionRegistry& r);     // cel-go's string format()
void register_optionals(FunctionRegistry& r);  // cel-go's optional types (cel.OptionalTypes)

}  // namespace safeguard::cel

// cel-go's optional values (cel.OptionalTypes): the pieces the evaluator's select and has()
// nodes share with the library, for `opt.field` and has(opt.field) on an optional value.
#pragma once

#include "cel/eval/frame.hpp"
#include "cel/value/value.hpp"

namespace safeguard::cel {

// `t.?field` (and `t.field` when t is an optional): an optional of the field when t, or
// the value t holds, is a map or object that has it, none when it has not (a snapshot
// field that is null counts as absent, as in has()) or when t is none; an error for any
// other value. `field` is a string value.
Value optional_select(Frame& f, const Value& t, const Value& field);

// has(t.field) where t is an optional: false for none, else has() of the value held.
Value optional_has(Frame& f, const Value& t, const Value& field);

}  // namespace safeguard::cel

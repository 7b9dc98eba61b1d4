// dump(): the tree on one line, in a form close to CEL source, for tests and debugging.
//
//   literals       as CEL source: null, true, 42, -7, 42u, 1.5, 1e+100, "s\n", b"\x00"
//                  (strings escape \ " and control characters; bytes also escape every
//                  byte outside printable ASCII; non-finite doubles print as
//                  double("NaN"), double("Infinity"), double("-Infinity"))
//   identifiers    a, .a (leading dot)
//   selection      a.b; a field name that is not an identifier is backquoted: a.`b-c`
//   has()          has(a.b)
//   calls          f(x, y), .f(x), a.f(x); operators keep their internal names:
//                  _+_(a, b), !_(a), _[_](a, 0), _?_:_(c, a, b), @in(a, b)
//   lists, maps    [1, 2], {"k": 1, 2: 3}; optional entries [?x], {?"k": v}
//   comprehensions <macro>(<var>, <range>, <args...>): all(x, r, p), exists(x, r, p),
//                  exists_one(x, r, p), filter(x, r, p), map(x, r, t), map(x, r, p, t)
//   cel.bind       bind(v, init, body)
//   optMap         optMap(v, optional, expr), optFlatMap(v, optional, expr)
//
// The walk uses an explicit stack, so dumping never recurses, however deep the tree.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "cel/ast/ast.hpp"

namespace safeguard::cel {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex_escape(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

// Escapes shared by strings and bytes; false when `c` needs no escape.
bool append_common_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '\\':
      out += "\\\\";
      return true;
    case '"':
      out += "\\\"";
      return true;
    case '\n':
      out += "\\n";
      return true;
    case '\r':
      out += "\\r";
      return true;
    case '\t':
      out += "\\t";
      return true;
    default:
      break;
  }
  if (c < 0x20 || c == 0x7F) {
    append_hex_escape(out, c);
    return true;
  }
  return false;
}

void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    if (!append_common_escape(out, static_cast<unsigned char>(ch))) out += ch;
  }
  out += '"';
}

void append_bytes(std::string& out, std::string_view s) {
  out += "b\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (append_common_escape(out, c)) continue;
    if (c >= 0x80) {
      append_hex_escape(out, c);
    } else {
      out += ch;
    }
  }
  out += '"';
}

void append_double(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "double(\"NaN\")";
    return;
  }
  if (std::isinf(d)) {
    out += d > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
    return;
  }
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, d);
  const std::string_view text(buf, static_cast<std::size_t>(result.ptr - buf));
  out += text;
  // Keep it a double literal when read back: 2 would be an int.
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void append_constant(std::string& out, const Constant& c) {
  switch (c.kind) {
    case ConstantKind::kNull:
      out += "null";
      break;
    case ConstantKind::kBool:
      out += c.bool_value ? "true" : "false";
      break;
    case ConstantKind::kInt:
      out += std::to_string(c.int_value);
      break;
    case ConstantKind::kUint:
      out += std::to_string(c.uint_value) + "u";
      break;
    case ConstantKind::kDouble:
      append_double(out, c.double_value);
      break;
    case ConstantKind::kString:
      append_string(out, c.string_value);
      break;
    case ConstantKind::kBytes:
      append_bytes(out, c.string_value);
      break;
  }
}

// A field name as it must be written after '.'.
std::string field_name(const std::string& name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_');
  }
  if (name == "true" || name == "false" || name == "null" || name == "in") plain = false;
  return plain ? name : "`" + name + "`";
}

const char* macro_name(MacroKind macro) {
  switch (macro) {
    case MacroKind::kAll:
      return "all";
    case MacroKind::kExists:
      return "exists";
    case MacroKind::kExistsOne:
      return "exists_one";
    case MacroKind::kMap:
      return "map";
    case MacroKind::kFilter:
      return "filter";
    case MacroKind::kTransformList:
      return "transformList";
    case MacroKind::kTransformMap:
      return "transformMap";
    case MacroKind::kTransformMapEntry:
      return "transformMapEntry";
  }
  return "macro";
}

// A unit of output still to be produced: a node to render, or literal text.
struct Item {
  const Expr* node = nullptr;
  std::string text;
};

// The pieces of `e`, in output order; nodes among them are rendered later.
void expand(const Expr& e, std::string& out, std::vector<Item>& pieces) {
  auto text = [&](std::string s) { pieces.push_back(Item{nullptr, std::move(s)}); };
  // A missing child can only occur in a hand-built tree.
  auto node = [&](const Expr* child) {
    if (child == nullptr) {
      text("<null>");
    } else {
      pieces.push_back(Item{child, {}});
    }
  };
  auto list = [&](const std::vector<ExprPtr>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i > 0) text(", ");
      node(args[i].get());
    }
  };
  switch (e.kind) {
    case ExprKind::kLiteral:
      append_constant(out, e.constant);
      break;
    case ExprKind::kIdent:
      if (e.leading_dot) out += '.';
      out += e.name;
      break;
    case ExprKind::kSelect:
      node(e.target.get());
      text("." + field_name(e.name));
      break;
    case ExprKind::kHas:
      text("has(");
      node(e.target.get());
      text("." + field_name(e.name) + ")");
      break;
    case ExprKind::kCall:
      if (e.target) {
        node(e.target.get());
        text("." + e.name + "(");
      } else {
        text((e.leading_dot ? "." : "") + e.name + "(");
      }
      list(e.args);
      text(")");
      break;
    case ExprKind::kList:
      text("[");
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) text(", ");
        if (std::find(e.optional_indices.begin(), e.optional_indices.end(), i) !=
            e.optional_indices.end()) {
          text("?");
        }
        node(e.args[i].get());
      }
      text("]");
      break;
    case ExprKind::kMap:
      text("{");
      for (std::size_t i = 0; i < e.entries.size(); ++i) {
        if (i > 0) text(", ");
        if (e.entries[i].optional) text("?");
        node(e.entries[i].key.get());
        text(": ");
        node(e.entries[i].value.get());
      }
      text("}");
      break;
    case ExprKind::kComprehension:
      text(std::string(macro_name(e.macro)) + "(" + e.name + ", " +
           (e.name2.empty() ? "" : e.name2 + ", "));
      node(e.target.get());
      for (const ExprPtr& arg : e.args) {
        text(", ");
        node(arg.get());
      }
      text(")");
      break;
    case ExprKind::kBind:
      text("bind(" + e.name + ", ");
      list(e.args);
      text(")");
      break;
    case ExprKind::kOptMap:
    case ExprKind::kOptFlatMap:
      text(std::string(e.kind == ExprKind::kOptMap ? "optMap(" : "optFlatMap(") + e.name + ", ");
      node(e.target.get());
      text(", ");
      list(e.args);
      text(")");
      break;
  }
}

}  // namespace

std::string dump(const Expr& expr) {
  std::string out;
  std::vector<Item> stack;
  std::vector<Item> pieces;
  stack.push_back(Item{&expr, {}});
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    if (item.node == nullptr) {
      out += item.text;
      continue;
    }
    pieces.clear();
    expand(*item.node, out, pieces);
    for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) stack.push_back(std::move(*it));
  }
  return out;
}

}  // namespace safeguard::cel

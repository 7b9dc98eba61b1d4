// CEL parser: a hand-written recursive-descent parser over the token vector.
//
// Grammar (cel-spec langdef.md and CEL.g4):
//   Expr           = ConditionalOr ["?" ConditionalOr ":" Expr]
//   ConditionalOr  = [ConditionalOr "||"] ConditionalAnd
//   ConditionalAnd = [ConditionalAnd "&&"] Relation
//   Relation       = [Relation Relop] Addition       (< <= >= > == != in)
//   Addition       = [Addition ("+"|"-")] Multiplication
//   Multiplication = [Multiplication ("*"|"/"|"%")] Unary
//   Unary          = Member | "!" {"!"} Member | "-" {"-"} Member
//   Member         = Primary | Member "." SELECTOR ["(" [ExprList] ")"] | Member "[" Expr "]"
//                  | Member ".?" SELECTOR | Member "[?" Expr "]"
//   Primary        = ["."] IDENT ["(" [ExprList] ")"] | "(" Expr ")"
//                  | "[" [ListInits] [","] "]" | "{" [MapInits] [","] "}" | LITERAL
//   ListInits      = ["?"] Expr {"," ["?"] Expr};  MapInits = ["?"] Expr ":" Expr {...}
// (the "?" forms are cel-spec's optional syntax, which cel-go enables with OptionalTypes).
//
// Shape of the tree:
// - Operators are kCall nodes with CEL's internal names (_+_, _[_], _?_:_, @in, ...).
// - Chains of && and of || are built as balanced trees, as cel-go and cel-cpp do: the
//   operators are associative under CEL's error-absorbing semantics, and a chain of n
//   terms then nests log2(n) deep instead of n. Every other binary operator is
//   left-associative; `?:` is right-associative.
// - A single '-' directly before an int or double literal is folded into the literal
//   (CEL.g4 has `sign=MINUS? NUM_INT`), so -9223372036854775808 is INT64_MIN and -1.5
//   is a double constant. The folded literal is a primary, so `-1.abs()` calls abs() on
//   -1, as CEL.g4 reads it. Runs of two or more ('--1') stay negation calls, as do runs
//   of '!': they are never simplified away, so `--x` still type-checks x as a number.
// - Parentheses create no node; the inner node's begin/end are widened to cover them.
// - Backquoted field names (a.`content-type`) are accepted after '.', as in current
//   cel-spec (fields.textproto "quoted_map_fields"); they cannot be called.
// - A global call written with a leading dot (.f(x)) is a kCall with leading_dot set,
//   and is never a macro.
//
// Positions (Expr::offset, the anchor diagnostics point at):
//   literal, identifier: its first character (for ".a" the 'a'; for "-1" the '-')
//   select, optional select, member call, comprehension, cel.bind: the '.' before the name
//   global call, has(): the '('
//   index and optional index: the '['; list: the '['; map: the '{'; map entry: the ':'
//   binary and ternary operators: the operator ('?' for ?:); unary: the '!' or '-'
// begin/end always span the node's whole source text, e.g. "a.f(x)" for a member call.
//
// Ids are dense from 1 and follow creation order (children before parents, left to
// right); they are assigned after parsing, which closes the gaps macro expansion leaves.
//
// Depth. No input may run the parser, or any later stage that recurses over the tree,
// off the end of the stack. Two counts are kept against ParserOptions::max_depth:
// - the parser's own recursion: every Expr nested inside parentheses, brackets, braces
//   or call arguments enters parse_expr(), which counts one level;
// - the height of the tree being built: every node records 1 + the height of its
//   tallest child, and a node taller than max_depth is an error. Operator chains and
//   member chains are parsed in loops (`1+1+...`, `a.b.c...`, `x[0][0]...`, `!!!x`,
//   `a ? b : c ? d : ...` do not recurse per term), but the tree they produce is as
//   deep as it is long, so `1+1+...` with more terms than max_depth is "nests too
//   deeply" here rather than a stack overflow later.
//
// Word operators (ParserOptions::word_operators). `and` and `or` are read as && and ||
// only where an infix operator is expected, i.e. right after a complete operand, where
// standard CEL could not have an identifier. `not` is read as ! only where an operand is
// expected and the next token is an identifier, a literal, '!' or '('. Not before '-',
// '[', '.' or '{', because `not - 1`, `not[0]`, `not.x` are valid standard CEL about a
// variable named `not`. The one standard form given up is a call of a global function
// named `not`: `not(x)` is negation. Everywhere else the three words are identifiers.
#include "cel/parse/parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "base/utf8.hpp"
#include "cel/lex/lexer.hpp"
#include "cel/parse/literals.hpp"
#include "cel/parse/macros.hpp"

namespace safeguard::cel {
namespace {

constexpr const char* kSyntax = "cel.syntax";
constexpr const char* kLimit = "cel.limit";
constexpr const char* kInvalidLiteral = "cel.invalid-literal";
constexpr const char* kInvalidUtf8 = "cel.invalid-utf8";

constexpr std::string_view kReservedWords[] = {
    "as",  "break", "const",   "continue",  "else",   "for", "function", "if",    "import",
    "let", "loop",  "package", "namespace", "return", "var", "void",     "while",
};

bool is_reserved(std::string_view word) noexcept {
  return std::find(std::begin(kReservedWords), std::end(kReservedWords), word) !=
         std::end(kReservedWords);
}

struct BinaryOp {
  TokenKind token;
  const char* name;
  int precedence;  // higher binds tighter; all are left-associative
};

// Relations, additive and multiplicative operators. && and || are not here: their
// chains are balanced instead (see the top of the file).
constexpr BinaryOp kBinaryOps[] = {
    {TokenKind::kLt, "_<_", 1},   {TokenKind::kLe, "_<=_", 1},   {TokenKind::kGt, "_>_", 1},
    {TokenKind::kGe, "_>=_", 1},  {TokenKind::kEq, "_==_", 1},   {TokenKind::kNe, "_!=_", 1},
    {TokenKind::kIn, "@in", 1},   {TokenKind::kPlus, "_+_", 2},  {TokenKind::kMinus, "_-_", 2},
    {TokenKind::kStar, "_*_", 3}, {TokenKind::kSlash, "_/_", 3}, {TokenKind::kPercent, "_%_", 3},
};

const BinaryOp* binary_op(TokenKind kind) noexcept {
  for (const BinaryOp& op : kBinaryOps) {
    if (op.token == kind) return &op;
  }
  return nullptr;
}

bool is_literal(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::kInt:
    case TokenKind::kUint:
    case TokenKind::kDouble:
    case TokenKind::kString:
    case TokenKind::kBytes:
    case TokenKind::kTrue:
    case TokenKind::kFalse:
    case TokenKind::kNull:
      return true;
    default:
      return false;
  }
}

// Tokens after which `not` is negation rather than the identifier `not` (see the top).
bool starts_negated_operand(TokenKind kind) noexcept {
  return kind == TokenKind::kIdent || kind == TokenKind::kBang || kind == TokenKind::kLParen ||
         is_literal(kind);
}

// A name such as `a` or `a.b.C`, which '{' would turn into message construction.
bool is_qualified_name(const Expr& expr) noexcept {
  const Expr* e = &expr;
  while (e->kind == ExprKind::kSelect) e = e->target.get();
  return e->kind == ExprKind::kIdent;
}

// Children in creation order: receiver or range, arguments, then map entries.
std::size_t child_count(const Expr& e) noexcept {
  return (e.target ? 1 : 0) + e.args.size() + 2 * e.entries.size();
}

Expr* child_at(const Expr& e, std::size_t i) noexcept {
  if (e.target) {
    if (i == 0) return e.target.get();
    --i;
  }
  if (i < e.args.size()) return e.args[i].get();
  i -= e.args.size();
  const MapEntry& entry = e.entries[i / 2];
  return i % 2 == 0 ? entry.key.get() : entry.value.get();
}

// Assigns ids 1..n in post-order without recursion; returns n.
std::uint32_t renumber(Expr& root) {
  struct Frame {
    Expr* node;
    std::size_t next;
  };
  std::vector<Frame> stack{{&root, 0}};
  std::uint32_t id = 0;
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next < child_count(*top.node)) {
      Expr* child = child_at(*top.node, top.next++);
      stack.push_back({child, 0});
    } else {
      top.node->id = ++id;
      stack.pop_back();
    }
  }
  return id;
}

class Parser {
 public:
  Parser(std::string_view text, const ParserOptions& options) : text_(text), options_(options) {}

  ParseResult run();

 private:
  // Tokens.
  const Token& cur() const noexcept { return tokens_[pos_]; }
  const Token& peek() const noexcept { return tokens_[std::min(pos_ + 1, tokens_.size() - 1)]; }
  bool at(TokenKind kind) const noexcept { return cur().kind == kind; }
  void advance() noexcept {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }
  std::string_view text_of(const Token& t) const noexcept {
    return text_.substr(t.begin, t.end - t.begin);
  }
  bool at_word(std::string_view word) const noexcept {
    return options_.word_operators && at(TokenKind::kIdent) && text_of(cur()) == word;
  }
  bool at_or() const noexcept { return at(TokenKind::kOr) || at_word("or"); }
  bool at_and() const noexcept { return at(TokenKind::kAnd) || at_word("and"); }
  bool at_not() const noexcept {
    return at(TokenKind::kBang) || (at_word("not") && starts_negated_operand(peek().kind));
  }

  // Errors: only the first is kept; every parse function returns null after one.
  void fail(std::uint32_t offset, std::uint32_t length, const char* code, std::string message,
            std::string hint = {});
  void fail_expected(const std::string& what, std::string hint = {});
  std::string describe(const Token& t) const;
  std::string too_deep() const;
  std::string operator_word_hint() const;

  // Nodes.
  ExprPtr new_node(ExprKind kind, std::uint32_t begin, std::uint32_t offset);
  bool finish(Expr& node);
  ExprPtr call(const char* name, std::uint32_t offset, ExprPtr lhs, ExprPtr rhs);
  ExprPtr finish_call(ExprPtr node);

  // Grammar.
  ExprPtr parse_expr();
  ExprPtr parse_conditional();
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr balance(const char* name, std::vector<ExprPtr>& terms,
                  const std::vector<std::uint32_t>& ops, std::size_t lo, std::size_t hi);
  ExprPtr parse_binary();
  ExprPtr parse_unary();
  ExprPtr parse_member();
  ExprPtr parse_select(ExprPtr target);
  ExprPtr parse_optional_select(ExprPtr target, std::uint32_t dot);
  ExprPtr parse_primary();
  ExprPtr parse_ident_or_call(std::uint32_t begin, bool leading_dot);
  bool parse_args(std::vector<ExprPtr>& args, std::uint32_t& end);
  ExprPtr parse_list();
  ExprPtr parse_map();
  ExprPtr parse_number(std::uint32_t begin, bool negative);
  ExprPtr parse_literal();

  std::string_view text_;
  const ParserOptions& options_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  base::Issue lex_error_;
  std::optional<base::Issue> error_;
  std::uint32_t depth_ = 0;
  std::vector<std::uint32_t> heights_;  // by provisional id (index 0 unused)
};

bool is_placeholder(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return first != std::string_view::npos && text.substr(first, last - first + 1) == "...";
}

ParseResult Parser::run() {
  ParseResult result;
  result.expr.source = std::string(text_);
  if (text_.size() > options_.max_length) {
    fail(options_.max_length, 1, kLimit,
         "expression is too long (" + std::to_string(text_.size()) + " bytes; the limit is " +
             std::to_string(options_.max_length) + ")");
  } else if (const std::size_t bad = base::find_invalid_utf8(text_);
             bad != std::string_view::npos) {
    fail(static_cast<std::uint32_t>(bad), 1, kInvalidUtf8,
         "the expression is not valid UTF-8 (invalid byte sequence at byte " + std::to_string(bad) +
             ")");
  } else if (is_placeholder(text_)) {
    // design.md's sketch writes `when: ...` for "a condition goes here".
    fail(static_cast<std::uint32_t>(text_.find_first_not_of(" \t\r\n")), 3, kSyntax,
         "'...' is a placeholder, not an expression",
         "write the condition or value itself, e.g. size(case.contacts) > 0");
  } else {
    tokens_ = tokenize(text_, lex_error_);
    heights_.reserve(tokens_.size() + 1);
    heights_.push_back(0);
    ExprPtr root = parse_expr();
    if (root && !at(TokenKind::kEnd)) {
      // Whatever stands here could not continue the expression.
      const TokenKind kind = cur().kind;
      const bool operand_like = kind == TokenKind::kIdent || kind == TokenKind::kLParen ||
                                kind == TokenKind::kBang || is_literal(kind);
      fail_expected(operand_like ? "an operator" : "end of expression", operator_word_hint());
      root.reset();
    }
    if (root && !error_) {
      result.expr.node_count = renumber(*root);
      result.expr.root = std::move(root);
    } else if (!error_) {
      fail(0, 1, kSyntax, "internal error: the parser failed without a diagnostic");
    }
  }
  if (error_) result.issues.push_back(std::move(*error_));
  return result;
}

void Parser::fail(std::uint32_t offset, std::uint32_t length, const char* code, std::string message,
                  std::string hint) {
  if (error_) return;
  base::Issue issue;
  issue.code = code;
  issue.offset = offset;
  issue.length = std::max<std::uint32_t>(length, 1);
  issue.message = std::move(message);
  issue.hint = std::move(hint);
  error_ = std::move(issue);
}

// AND / OR in capitals (spreadsheets, SQL) where an operator was expected.
std::string Parser::operator_word_hint() const {
  if (!at(TokenKind::kIdent)) return {};
  std::string word(text_of(cur()));
  for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::string words =
      options_.word_operators ? " (or the word " + word + ", in lower case)" : "";
  if (word == "and") return "write &&" + words + " to require both conditions";
  if (word == "or") return "write ||" + words + " for either condition";
  return {};
}

std::string Parser::describe(const Token& t) const {
  switch (t.kind) {
    case TokenKind::kIdent:
    case TokenKind::kQuotedIdent:
    case TokenKind::kInt:
    case TokenKind::kUint:
    case TokenKind::kDouble:
    case TokenKind::kString:
    case TokenKind::kBytes:
      return quote_snippet(text_of(t));
    default:
      return token_kind_name(t.kind);
  }
}

void Parser::fail_expected(const std::string& what, std::string hint) {
  const Token& t = cur();
  if (t.kind == TokenKind::kError) {
    if (!error_) error_ = lex_error_;
  } else if (t.kind == TokenKind::kEnd) {
    fail(t.begin, 1, kSyntax, "unexpected end of expression; expected " + what, std::move(hint));
  } else {
    fail(t.begin, t.end - t.begin, kSyntax, "expected " + what + " but found " + describe(t),
         std::move(hint));
  }
}

std::string Parser::too_deep() const {
  return "expression nests too deeply (the limit is " + std::to_string(options_.max_depth) + ")";
}

ExprPtr Parser::new_node(ExprKind kind, std::uint32_t begin, std::uint32_t offset) {
  auto node = std::make_unique<Expr>();
  node->kind = kind;
  node->id = static_cast<std::uint32_t>(heights_.size());
  node->begin = begin;
  node->end = begin;
  node->offset = offset;
  heights_.push_back(1);
  return node;
}

bool Parser::finish(Expr& node) {
  std::uint32_t height = 0;
  const std::size_t n = child_count(node);
  for (std::size_t i = 0; i < n; ++i) height = std::max(height, heights_[child_at(node, i)->id]);
  heights_[node.id] = height + 1;
  if (height + 1 > options_.max_depth) {
    fail(node.offset, 1, kLimit, too_deep());
    return false;
  }
  return true;
}

ExprPtr Parser::call(const char* name, std::uint32_t offset, ExprPtr lhs, ExprPtr rhs) {
  ExprPtr node = new_node(ExprKind::kCall, lhs->begin, offset);
  node->name = name;
  node->end = rhs->end;
  node->args.push_back(std::move(lhs));
  node->args.push_back(std::move(rhs));
  if (!finish(*node)) return nullptr;
  return node;
}

ExprPtr Parser::finish_call(ExprPtr node) {
  if (options_.enable_macros && !node->leading_dot) {
    const Macro macro = find_macro(node->name, node->target.get(), node->args.size());
    MacroError error;
    if (macro != Macro::kNone && !expand_macro(macro, *node, error)) {
      fail(error.offset, error.length, kSyntax, std::move(error.message), std::move(error.hint));
      return nullptr;
    }
    // math.greatest(a, b, c) gathers its arguments into a list node: its height counts.
    if ((macro == Macro::kGreatest || macro == Macro::kLeast) && node->args.size() == 1 &&
        node->args[0]->kind == ExprKind::kList && !finish(*node->args[0])) {
      return nullptr;
    }
  }
  if (!finish(*node)) return nullptr;
  return node;
}

ExprPtr Parser::parse_expr() {
  if (depth_ >= options_.max_depth) {
    fail(cur().begin, 1, kLimit, too_deep());
    return nullptr;
  }
  ++depth_;
  ExprPtr result = parse_conditional();
  --depth_;
  return result;
}

// cond ? a : b ? c : d is right-associative; the else-chain is read in a loop and the
// calls are built from the right.
ExprPtr Parser::parse_conditional() {
  struct Branch {
    ExprPtr condition;
    ExprPtr then;
    std::uint32_t offset;
  };
  std::vector<Branch> chain;
  ExprPtr result = parse_or();
  while (result && at(TokenKind::kQuestion)) {
    const std::uint32_t question = cur().begin;
    advance();
    ExprPtr then = parse_or();
    if (!then) return nullptr;
    if (!at(TokenKind::kColon)) {
      fail_expected("':'");
      return nullptr;
    }
    advance();
    chain.push_back({std::move(result), std::move(then), question});
    result = parse_or();
  }
  while (result && !chain.empty()) {
    Branch branch = std::move(chain.back());
    chain.pop_back();
    ExprPtr node = new_node(ExprKind::kCall, branch.condition->begin, branch.offset);
    node->name = "_?_:_";
    node->end = result->end;
    node->args.push_back(std::move(branch.condition));
    node->args.push_back(std::move(branch.then));
    node->args.push_back(std::move(result));
    result = finish(*node) ? std::move(node) : nullptr;
  }
  return result;
}

ExprPtr Parser::parse_or() {
  ExprPtr first = parse_and();
  if (!first || !at_or()) return first;
  std::vector<ExprPtr> terms;
  std::vector<std::uint32_t> ops;
  terms.push_back(std::move(first));
  while (at_or()) {
    ops.push_back(cur().begin);
    advance();
    ExprPtr term = parse_and();
    if (!term) return nullptr;
    terms.push_back(std::move(term));
  }
  return balance("_||_", terms, ops, 0, ops.size() - 1);
}

ExprPtr Parser::parse_and() {
  ExprPtr first = parse_binary();
  if (!first || !at_and()) return first;
  std::vector<ExprPtr> terms;
  std::vector<std::uint32_t> ops;
  terms.push_back(std::move(first));
  while (at_and()) {
    ops.push_back(cur().begin);
    advance();
    ExprPtr term = parse_binary();
    if (!term) return nullptr;
    terms.push_back(std::move(term));
  }
  return balance("_&&_", terms, ops, 0, ops.size() - 1);
}

// Operator ops[i] joins terms[i] and terms[i + 1]; builds ops[lo..hi] into a tree whose
// root is the middle operator. Recursion depth is log2 of the chain length.
ExprPtr Parser::balance(const char* name, std::vector<ExprPtr>& terms,
                        const std::vector<std::uint32_t>& ops, std::size_t lo, std::size_t hi) {
  const std::size_t mid = (lo + hi + 1) / 2;
  ExprPtr left = mid == lo ? std::move(terms[mid]) : balance(name, terms, ops, lo, mid - 1);
  if (!left) return nullptr;
  ExprPtr right = mid == hi ? std::move(terms[mid + 1]) : balance(name, terms, ops, mid + 1, hi);
  if (!right) return nullptr;
  return call(name, ops[mid], std::move(left), std::move(right));
}

// Relations, additive and multiplicative operators by precedence climbing with explicit
// stacks, so a long chain is a loop, not a recursion.
ExprPtr Parser::parse_binary() {
  ExprPtr first = parse_unary();
  if (!first) return nullptr;
  const BinaryOp* op = binary_op(cur().kind);
  if (op == nullptr) return first;
  struct Pending {
    const BinaryOp* op;
    std::uint32_t offset;
  };
  std::vector<ExprPtr> operands;
  std::vector<Pending> ops;
  operands.push_back(std::move(first));
  auto reduce = [&] {
    ExprPtr rhs = std::move(operands.back());
    operands.pop_back();
    ExprPtr lhs = std::move(operands.back());
    operands.pop_back();
    const Pending pending = ops.back();
    ops.pop_back();
    ExprPtr node = call(pending.op->name, pending.offset, std::move(lhs), std::move(rhs));
    if (!node) return false;
    operands.push_back(std::move(node));
    return true;
  };
  while (op != nullptr) {
    while (!ops.empty() && ops.back().op->precedence >= op->precedence) {
      if (!reduce()) return nullptr;
    }
    ops.push_back({op, cur().begin});
    advance();
    ExprPtr rhs = parse_unary();
    if (!rhs) return nullptr;
    operands.push_back(std::move(rhs));
    op = binary_op(cur().kind);
  }
  while (!ops.empty()) {
    if (!reduce()) return nullptr;
  }
  return std::move(operands.back());
}

ExprPtr Parser::parse_unary() {
  const char* name = nullptr;
  std::vector<std::uint32_t> ops;
  if (at(TokenKind::kMinus)) {
    const TokenKind next = peek().kind;
    // -1 and -1.5 are literals (see the top of the file).
    if (next == TokenKind::kInt || next == TokenKind::kDouble) return parse_member();
    name = "-_";
    while (at(TokenKind::kMinus)) {
      ops.push_back(cur().begin);
      advance();
    }
  } else if (at_not()) {
    name = "!_";
    while (at_not()) {
      ops.push_back(cur().begin);
      advance();
    }
  } else {
    return parse_member();
  }
  ExprPtr operand = parse_member();
  for (auto it = ops.rbegin(); operand && it != ops.rend(); ++it) {
    ExprPtr node = new_node(ExprKind::kCall, *it, *it);
    node->name = name;
    node->end = operand->end;
    node->args.push_back(std::move(operand));
    operand = finish(*node) ? std::move(node) : nullptr;
  }
  return operand;
}

ExprPtr Parser::parse_member() {
  ExprPtr expr = parse_primary();
  while (expr) {
    if (at(TokenKind::kDot)) {
      expr = parse_select(std::move(expr));
    } else if (at(TokenKind::kLBracket)) {
      const std::uint32_t bracket = cur().begin;
      advance();
      // `m[?k]`: an optional of the entry, none when there is none.
      const bool optional = at(TokenKind::kQuestion);
      if (optional) advance();
      ExprPtr index = parse_expr();
      if (!index) return nullptr;
      if (!at(TokenKind::kRBracket)) {
        fail_expected("']'");
        return nullptr;
      }
      ExprPtr node = new_node(ExprKind::kCall, expr->begin, bracket);
      node->name = optional ? "_[?_]" : "_[_]";
      node->end = cur().end;
      advance();
      node->args.push_back(std::move(expr));
      node->args.push_back(std::move(index));
      expr = finish(*node) ? std::move(node) : nullptr;
    } else if (at(TokenKind::kLBrace) && is_qualified_name(*expr)) {
      fail(cur().begin, 1, kSyntax, "message construction is not supported",
           "safeguard has no protobuf messages; use a map literal such as {'key': value}");
      return nullptr;
    } else {
      break;
    }
  }
  return expr;
}

// After `target`, at the '.': a field selection or a member call (possibly a macro).
ExprPtr Parser::parse_select(ExprPtr target) {
  const std::uint32_t dot = cur().begin;
  advance();
  if (at(TokenKind::kQuestion)) return parse_optional_select(std::move(target), dot);
  const Token name = cur();
  if (name.kind == TokenKind::kQuotedIdent) {
    advance();
    if (at(TokenKind::kLParen)) {
      fail(name.begin, name.end - name.begin, kSyntax,
           "a quoted name cannot be called as a function");
      return nullptr;
    }
    ExprPtr node = new_node(ExprKind::kSelect, target->begin, dot);
    node->name = std::string(text_.substr(name.begin + 1, name.end - name.begin - 2));
    node->end = name.end;
    node->target = std::move(target);
    return finish(*node) ? std::move(node) : nullptr;
  }
  if (name.kind != TokenKind::kIdent) {
    std::string hint;
    if (name.kind == TokenKind::kTrue || name.kind == TokenKind::kFalse ||
        name.kind == TokenKind::kNull || name.kind == TokenKind::kIn) {
      hint = "to select a field with this name, quote it: `" + std::string(text_of(name)) + "`";
    }
    fail_expected("a field name after '.'", std::move(hint));
    return nullptr;
  }
  advance();
  const bool is_call = at(TokenKind::kLParen);
  ExprPtr node = new_node(is_call ? ExprKind::kCall : ExprKind::kSelect, target->begin, dot);
  node->name = std::string(text_of(name));
  node->end = name.end;
  node->target = std::move(target);
  if (!is_call) return finish(*node) ? std::move(node) : nullptr;
  if (!parse_args(node->args, node->end)) return nullptr;
  return finish_call(std::move(node));
}

// After `target.`, at the '?': `target.?field`, the call _?._(target, "field"), an optional
// of the field that is none when the field is absent (cel-spec's optional syntax).
ExprPtr Parser::parse_optional_select(ExprPtr target, std::uint32_t dot) {
  advance();
  const Token name = cur();
  if (name.kind != TokenKind::kIdent && name.kind != TokenKind::kQuotedIdent) {
    fail_expected("a field name after '.?'");
    return nullptr;
  }
  advance();
  if (at(TokenKind::kLParen)) {
    fail(name.begin, name.end - name.begin, kSyntax,
         "'.?' selects a field; it cannot call a function",
         "write .? before a field name, or . before a call");
    return nullptr;
  }
  ExprPtr field = new_node(ExprKind::kLiteral, name.begin, name.begin);
  field->constant.kind = ConstantKind::kString;
  field->constant.string_value =
      name.kind == TokenKind::kQuotedIdent
          ? std::string(text_.substr(name.begin + 1, name.end - name.begin - 2))
          : std::string(text_of(name));
  field->end = name.end;
  if (!finish(*field)) return nullptr;
  ExprPtr node = new_node(ExprKind::kCall, target->begin, dot);
  node->name = "_?._";
  node->end = name.end;
  node->args.push_back(std::move(target));
  node->args.push_back(std::move(field));
  return finish(*node) ? std::move(node) : nullptr;
}

ExprPtr Parser::parse_primary() {
  const Token tok = cur();
  switch (tok.kind) {
    case TokenKind::kDot:
      advance();
      if (!at(TokenKind::kIdent)) {
        fail_expected("an identifier after '.'");
        return nullptr;
      }
      return parse_ident_or_call(tok.begin, /*leading_dot=*/true);
    case TokenKind::kIdent:
      return parse_ident_or_call(tok.begin, /*leading_dot=*/false);
    case TokenKind::kLParen: {
      advance();
      ExprPtr inner = parse_expr();
      if (!inner) return nullptr;
      if (!at(TokenKind::kRParen)) {
        fail_expected("')'");
        return nullptr;
      }
      inner->begin = tok.begin;
      inner->end = cur().end;
      advance();
      return inner;
    }
    case TokenKind::kLBracket:
      return parse_list();
    case TokenKind::kLBrace:
      return parse_map();
    case TokenKind::kInt:
    case TokenKind::kUint:
    case TokenKind::kDouble:
      return parse_number(tok.begin, /*negative=*/false);
    case TokenKind::kString:
    case TokenKind::kBytes:
    case TokenKind::kTrue:
    case TokenKind::kFalse:
    case TokenKind::kNull:
      return parse_literal();
    case TokenKind::kMinus:
      if (peek().kind == TokenKind::kInt || peek().kind == TokenKind::kDouble) {
        advance();
        return parse_number(tok.begin, /*negative=*/true);
      }
      fail_expected("an operand", "CEL does not allow '-' right after '!'; write !(-x)");
      return nullptr;
    case TokenKind::kBang:
      fail_expected("an operand", "CEL does not allow '!' right after '-'; write -(!x)");
      return nullptr;
    case TokenKind::kQuotedIdent:
      fail(tok.begin, tok.end - tok.begin, kSyntax,
           "a quoted name such as " + quote_snippet(text_of(tok)) +
               " is allowed only as a field name after '.'");
      return nullptr;
    default:
      fail_expected("an operand");
      return nullptr;
  }
}

ExprPtr Parser::parse_ident_or_call(std::uint32_t begin, bool leading_dot) {
  const Token name = cur();
  const std::string_view word = text_of(name);
  if (is_reserved(word)) {
    fail(name.begin, name.end - name.begin, kSyntax,
         "reserved word '" + std::string(word) + "' cannot be used as an identifier");
    return nullptr;
  }
  advance();
  if (at(TokenKind::kLParen)) {
    ExprPtr node = new_node(ExprKind::kCall, begin, cur().begin);
    node->name = std::string(word);
    node->leading_dot = leading_dot;
    if (!parse_args(node->args, node->end)) return nullptr;
    return finish_call(std::move(node));
  }
  ExprPtr node = new_node(ExprKind::kIdent, begin, name.begin);
  node->name = std::string(word);
  node->leading_dot = leading_dot;
  node->end = name.end;
  return finish(*node) ? std::move(node) : nullptr;
}

// At the '(' of a call; consumes through the ')'. No trailing comma (CEL.g4 exprList).
bool Parser::parse_args(std::vector<ExprPtr>& args, std::uint32_t& end) {
  advance();
  if (!at(TokenKind::kRParen)) {
    for (;;) {
      ExprPtr arg = parse_expr();
      if (!arg) return false;
      args.push_back(std::move(arg));
      if (!at(TokenKind::kComma)) break;
      advance();
    }
    if (!at(TokenKind::kRParen)) {
      fail_expected("',' or ')'");
      return false;
    }
  }
  end = cur().end;
  advance();
  return true;
}

ExprPtr Parser::parse_list() {
  ExprPtr node = new_node(ExprKind::kList, cur().begin, cur().begin);
  advance();
  while (!at(TokenKind::kRBracket)) {
    if (at(TokenKind::kQuestion)) {
      node->optional_indices.push_back(static_cast<std::uint32_t>(node->args.size()));
      advance();
    }
    ExprPtr element = parse_expr();
    if (!element) return nullptr;
    node->args.push_back(std::move(element));
    if (at(TokenKind::kComma)) {
      advance();
    } else if (!at(TokenKind::kRBracket)) {
      fail_expected("',' or ']'");
      return nullptr;
    }
  }
  node->end = cur().end;
  advance();
  return finish(*node) ? std::move(node) : nullptr;
}

ExprPtr Parser::parse_map() {
  ExprPtr node = new_node(ExprKind::kMap, cur().begin, cur().begin);
  advance();
  while (!at(TokenKind::kRBrace)) {
    MapEntry entry;
    if (at(TokenKind::kQuestion)) {
      entry.optional = true;
      advance();
    }
    entry.key = parse_expr();
    if (!entry.key) return nullptr;
    if (!at(TokenKind::kColon)) {
      fail_expected("':'");
      return nullptr;
    }
    entry.offset = cur().begin;
    advance();
    entry.value = parse_expr();
    if (!entry.value) return nullptr;
    node->entries.push_back(std::move(entry));
    if (at(TokenKind::kComma)) {
      advance();
    } else if (!at(TokenKind::kRBrace)) {
      fail_expected("',' or '}'");
      return nullptr;
    }
  }
  node->end = cur().end;
  advance();
  return finish(*node) ? std::move(node) : nullptr;
}

// At a number token; `begin` is the folded '-' when `negative`.
ExprPtr Parser::parse_number(std::uint32_t begin, bool negative) {
  const Token tok = cur();
  ExprPtr node = new_node(ExprKind::kLiteral, begin, begin);
  node->end = tok.end;
  Constant& c = node->constant;
  LiteralError error;
  bool ok = false;
  if (tok.kind == TokenKind::kInt) {
    c.kind = ConstantKind::kInt;
    ok = decode_int(text_of(tok), negative, c.int_value, error);
  } else if (tok.kind == TokenKind::kUint) {
    c.kind = ConstantKind::kUint;
    ok = decode_uint(text_of(tok), c.uint_value, error);
  } else {
    c.kind = ConstantKind::kDouble;
    ok = decode_double(text_of(tok), negative, c.double_value, error);
  }
  if (!ok) {
    fail(begin, tok.end - begin, kInvalidLiteral, std::move(error.message), std::move(error.hint));
    return nullptr;
  }
  advance();
  return finish(*node) ? std::move(node) : nullptr;
}

ExprPtr Parser::parse_literal() {
  const Token tok = cur();
  ExprPtr node = new_node(ExprKind::kLiteral, tok.begin, tok.begin);
  node->end = tok.end;
  Constant& c = node->constant;
  switch (tok.kind) {
    case TokenKind::kTrue:
    case TokenKind::kFalse:
      c.kind = ConstantKind::kBool;
      c.bool_value = tok.kind == TokenKind::kTrue;
      break;
    case TokenKind::kNull:
      c.kind = ConstantKind::kNull;
      break;
    default: {
      LiteralError error;
      if (!decode_string(text_of(tok), c, error)) {
        fail(tok.begin + error.offset, error.length, kInvalidLiteral, std::move(error.message),
             std::move(error.hint));
        return nullptr;
      }
      break;
    }
  }
  advance();
  return finish(*node) ? std::move(node) : nullptr;
}

}  // namespace

ParseResult parse(std::string_view text, const ParserOptions& options) {
  return Parser(text, options).run();
}

}  // namespace safeguard::cel

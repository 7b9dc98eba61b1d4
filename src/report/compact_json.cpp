#include "report/compact_json.hpp"

#include <charconv>
#include <cstring>
#include <memory>

#include "base/json_plain.hpp"
#include "base/json_writer.hpp"

namespace safeguard::report {

namespace {

// A growing buffer of the thread's, never initialised: the JSON is written through a
// pointer and appended to the caller's string once, at its final size.
struct Storage {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;
};

// More is freed after use: one huge result must not leave a thread holding its size.
constexpr std::size_t kKeptCapacity = std::size_t{1} << 20;

class Out {
 public:
  explicit Out(Storage& storage) : storage_(storage) {
    if (storage_.capacity == 0) grow(16 * 1024);
    p_ = storage_.data.get();
    end_ = p_ + storage_.capacity;
  }

  // Bytes as they are.
  void raw(const char* s, std::size_t n) {
    need(n);
    std::memcpy(p_, s, n);
    p_ += n;
  }
  void raw(const std::string& s) { raw(s.data(), s.size()); }
  // The format's own text: keys, brackets and separators.
  template <std::size_t N>
  void lit(const char (&s)[N]) {
    raw(s, N - 1);
  }
  // A JSON string literal, escaped as base::append_json_string escapes it.
  void str(const std::string& s) {
    const std::size_t n = s.size();
    need(n + 2 + 16);  // the copy may store up to 16 bytes past the text
    if (!base::plain::copy_plain_json_text(p_ + 1, s)) return escaped(s);
    *p_ = '"';
    p_ += n + 1;
    *p_++ = '"';
  }
  void uinteger(std::uint64_t v) {
    need(24);
    p_ = std::to_chars(p_, p_ + 24, v).ptr;
  }
  // Each string of `items` with ',' between them.
  void strings(const std::vector<std::string>& items) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) lit(",");
      str(items[i]);
    }
  }

  void append_to(std::string& out) {
    const char* begin = storage_.data.get();
    out.append(begin, static_cast<std::size_t>(p_ - begin));
    if (storage_.capacity > kKeptCapacity) storage_ = Storage();
  }

 private:
  void need(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) make_room(n);
  }

  // Out of line, as escaped() is: str() runs about 70 times per result, and its common
  // path then saves and restores no registers.
  [[gnu::noinline]] void make_room(std::size_t n) {
    const std::size_t used = static_cast<std::size_t>(p_ - storage_.data.get());
    grow(used + n);
    p_ = storage_.data.get() + used;
    end_ = storage_.data.get() + storage_.capacity;
  }

  void grow(std::size_t at_least) {
    std::size_t capacity = storage_.capacity == 0 ? at_least : storage_.capacity;
    while (capacity < at_least) capacity *= 2;
    std::unique_ptr<char[]> data(new char[capacity]);
    if (storage_.data && p_ != nullptr) {
      std::memcpy(data.get(), storage_.data.get(),
                  static_cast<std::size_t>(p_ - storage_.data.get()));
    }
    storage_.data = std::move(data);
    storage_.capacity = capacity;
  }

  // Text with characters to escape or check (rare in results: most are ASCII ids and
  // dates): the general escaping, through a scratch string.
  [[gnu::noinline]] void escaped(const std::string& s) {
    thread_local std::string text;
    text.clear();
    base::append_json_string(text, s);
    raw(text);
    if (text.capacity() > kKeptCapacity) std::string().swap(text);
  }

  Storage& storage_;
  char* p_ = nullptr;
  char* end_ = nullptr;
};

void write_flag(Out& o, const Flag& f) {
  o.lit("{\"id\":");
  o.str(f.id);
  o.lit(",\"severity\":");
  o.str(f.severity);
  o.lit(",\"category\":");
  o.str(f.category);
  o.lit(",\"title\":");
  o.str(f.title);
  o.lit(",\"message\":");
  o.str(f.message);
  o.lit(",\"facts\":{");
  bool undetermined = false;
  for (std::size_t i = 0; i < f.facts.size(); ++i) {
    const Fact& fact = f.facts[i];
    if (i > 0) o.lit(",");
    o.str(fact.name);
    o.lit(":");
    o.raw(fact.value_json);
    undetermined = undetermined || !fact.determined;
  }
  o.lit("}");
  if (undetermined) {
    o.lit(",\"facts_undetermined\":[");
    bool first = true;
    for (const Fact& fact : f.facts) {
      if (fact.determined) continue;
      if (!first) o.lit(",");
      o.str(fact.name);
      first = false;
    }
    o.lit("]");
  }
  o.lit(",\"actions\":[");
  o.strings(f.actions);
  o.lit("],\"source\":");
  o.str(f.source);
  o.lit(",\"rule_file\":");
  o.str(f.file);
  o.lit(",\"rule_line\":");
  o.uinteger(f.line);
  o.lit("}");
}

void write_action(Out& o, const Action& a) {
  o.lit("{\"id\":");
  o.str(a.id);
  o.lit(",\"text\":");
  o.str(a.text);
  o.lit(",\"owner\":");
  o.str(a.owner);
  o.lit(",\"due\":");
  if (a.due.empty()) {
    o.lit("null");
  } else {
    o.str(a.due);
  }
  o.lit(",\"flags\":[");
  o.strings(a.flags);
  o.lit("]");
  if (!a.due_undetermined.empty()) {
    o.lit(",\"due_undetermined\":[");
    for (std::size_t i = 0; i < a.due_undetermined.size(); ++i) {
      const Undetermined& u = a.due_undetermined[i];
      if (i > 0) o.lit(",");
      o.lit("{\"flag\":");
      o.str(u.id);
      o.lit(",\"reason\":");
      o.str(u.reason);
      o.lit(",\"path\":");
      o.str(u.path);
      o.lit(",\"message\":");
      o.str(u.message);
      if (!u.at.empty()) {
        o.lit(",\"at\":");
        o.str(u.at);
      }
      o.lit("}");
    }
    o.lit("]");
  }
  o.lit("}");
}

void write_undetermined(Out& o, const Undetermined& u) {
  o.lit("{\"id\":");
  o.str(u.id);
  o.lit(",\"kind\":");
  o.str(u.kind);
  o.lit(",\"reason\":");
  o.str(u.reason);
  o.lit(",\"path\":");
  o.str(u.path);
  o.lit(",\"message\":");
  o.str(u.message);
  if (!u.depends_on.empty()) {
    o.lit(",\"depends_on\":");
    o.str(u.depends_on);
  }
  if (!u.at.empty()) {
    o.lit(",\"at\":");
    o.str(u.at);
  }
  o.lit("}");
}

void write_violation(Out& o, const Violation& v) {
  o.lit("{\"path\":");
  o.str(v.path);
  o.lit(",\"code\":");
  o.str(v.code);
  o.lit(",\"expected\":");
  o.str(v.expected);
  o.lit(",\"message\":");
  o.str(v.message);
  o.lit("}");
}

// Each element of `items` written by `write`, with ',' between them.
template <typename T, typename Write>
void write_all(Out& o, const std::vector<T>& items, Write write) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) o.lit(",");
    write(o, items[i]);
  }
}

}  // namespace

bool compact_applies(const Result& result) {
  if (!result.evaluated || !result.level.explain.empty()) return false;
  for (const Flag& f : result.flags) {
    if (!f.explain.empty()) return false;
  }
  for (const Undetermined& u : result.undetermined) {
    if (!u.explain.empty()) return false;
  }
  return true;
}

void append_compact_json(const Result& r, std::string& out) {
  thread_local Storage storage;
  Out o(storage);
  o.lit("{\"level\":{\"id\":");
  o.str(r.level.id);
  o.lit(",\"reasons\":[");
  o.strings(r.level.reasons);
  o.lit("]},\"flags\":[");
  write_all(o, r.flags, write_flag);
  o.lit("],\"actions\":[");
  write_all(o, r.actions, write_action);
  o.lit("],\"undetermined\":[");
  write_all(o, r.undetermined, write_undetermined);
  o.lit("],\"violations\":[");
  write_all(o, r.violations, write_violation);
  o.lit("],\"ruleset\":{\"name\":");
  o.str(r.ruleset.name);
  o.lit(",\"version\":");
  o.str(r.ruleset.version);
  o.lit(",\"fingerprint\":");
  o.str(r.ruleset.fingerprint);
  o.lit(",\"calendars\":");
  o.str(r.ruleset.calendars);
  o.lit("},\"as_of\":");
  o.str(r.as_of);
  o.lit("}");
  o.append_to(out);
}

}  // namespace safeguard::report

#include "test_case_json.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>

#include "cli.hpp"

namespace safeguard::cli::test {

std::string scalar_text(const YAML::Node& node) {
  std::string text = node.Scalar();
  // The file was valid UTF-8, so every lead byte here has its continuation bytes, and a
  // 0x85 or 0xA0 found where a character starts is one of those escapes.
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0x85 || c == 0xA0) {
      text.insert(i, 1, '\xC2');
      i += 2;
    } else {
      i += c < 0x80             ? 1
           : (c & 0xE0) == 0xC0 ? 2
           : (c & 0xF0) == 0xE0 ? 3
           : (c & 0xF8) == 0xF0 ? 4
                                : 1;
    }
  }
  return text;
}

namespace json = boost::json;

Locator::Locator(std::string file, std::string text)
    : file_(std::move(file)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

Where Locator::at_offset(long offset) const {
  Where w{file_, 0, 0};
  if (offset < 0) return w;
  const auto pos = std::min(static_cast<std::size_t>(offset), text_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), pos);
  const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
  std::uint32_t column = 1;
  for (std::size_t i = line_starts_[line - 1]; i < pos; ++i) {
    // Count code points: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  w.line = static_cast<std::uint32_t>(line);
  w.column = column;
  return w;
}

Where Locator::at(const YAML::Node& node) const {
  return at_offset(node.Mark().pos);
}

namespace {

// JSON's number grammar: what a reader of the YAML takes for a number without surprise.
// (A leading zero, "+1", ".5" or "1_000" stay strings: ids and codes keep their text.)
bool looks_like_json_number(const std::string& s, bool* integral) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  } else {
    return false;
  }
  *integral = true;
  if (i < n && s[i] == '.') {
    *integral = false;
    ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    *integral = false;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  return i == n;
}

json::value scalar_to_json(const YAML::Node& node) {
  const std::string text = scalar_text(node);
  // Quoted, block and explicitly tagged (!!str) scalars keep their text.
  if (node.Tag() != "?") return json::value(json::string(text));
  if (text == "true" || text == "True" || text == "TRUE") return json::value(true);
  if (text == "false" || text == "False" || text == "FALSE") return json::value(false);
  bool integral = false;
  if (looks_like_json_number(text, &integral)) {
    // Parsing the text as JSON keeps int64, uint64 and double exactly as JSON would.
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (!ec) return v;
  }
  return json::value(json::string(text));
}

// The conversion of one case (or patch); stops at the first value over the budget, which
// `failure` then names.
class Converter {
 public:
  Converter(const Locator& locator, YamlBudget* budget, std::vector<TestError>* errors)
      : locator_(locator), budget_(budget), errors_(errors) {}

  std::optional<TestError> failure;

  // A number JSON's syntax allows but a snapshot cannot hold (1e400; an integer beyond 64
  // bits, which Boost.JSON reads as a double) is refused there ("number is too large"):
  // here too, where it is written, rather than passed on as a value no JSON case could have
  // or as text the snapshot parser then rejects without a place in the test file.
  json::value number_checked(const YAML::Node& node, json::value v) {
    bool integral = false;
    if (!v.is_double() || !looks_like_json_number(node.Scalar(), &integral)) return v;
    if (std::isfinite(v.get_double()) && !integral) return v;
    failure = TestError{locator_.at(node),
                        integral ? "integer is too large (beyond 64 bits) for a case snapshot"
                                 : "number is too large for a double in a case snapshot",
                        "quote it if it is meant as text"};
    return json::value(nullptr);
  }

  json::value convert(const YAML::Node& node, std::size_t depth) {
    if (failure) return json::value(nullptr);
    if (++budget_->nodes > YamlBudget::kMaxNodes) {
      failure = TestError{locator_.at(node),
                          "the test file's cases expand to too many YAML values (the limit is " +
                              std::to_string(YamlBudget::kMaxNodes) +
                              "); aliases (*name) may be nested too deeply",
                          "write the case out, or share it with case_ref and patch"};
      return json::value(nullptr);
    }
    if (depth > YamlBudget::kMaxDepth) {
      failure = TestError{locator_.at(node),
                          "the case nests too deeply (the limit is " +
                              std::to_string(YamlBudget::kMaxDepth) + " levels)",
                          "an alias (*name) may stand inside the anchor (&name) it refers to"};
      return json::value(nullptr);
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return json::value(nullptr);
      case YAML::NodeType::Scalar:
        budget_->text_bytes += node.Scalar().size();
        if (budget_->text_bytes > YamlBudget::kMaxTextBytes) {
          failure = TestError{locator_.at(node),
                              "the test file's cases expand to too much text (the limit is " +
                                  std::to_string(YamlBudget::kMaxTextBytes) + " bytes)",
                              "an alias (*name) copies its anchor's text each time it is used"};
          return json::value(nullptr);
        }
        return number_checked(node, scalar_to_json(node));
      case YAML::NodeType::Sequence: {
        json::array a;
        for (const auto& item : node) {
          a.push_back(convert(item, depth + 1));
          if (failure) break;
        }
        return json::value(std::move(a));
      }
      case YAML::NodeType::Map: {
        json::object o;
        std::set<std::string> seen;
        std::vector<YAML::Node> merges;
        for (auto it = node.begin(); it != node.end() && !failure; ++it) {
          if (it->first.IsScalar() && it->first.Tag() == "?" && it->first.Scalar() == "<<") {
            merges.push_back(it->second);
            continue;
          }
          if (!it->first.IsScalar()) {
            errors_->push_back({locator_.at(it->first), "a case's keys must be plain text", ""});
            continue;
          }
          const std::string key = scalar_text(it->first);
          if (!seen.insert(key).second) {
            errors_->push_back({locator_.at(it->first), "duplicate key '" + key + "'", ""});
            continue;
          }
          o[key] = convert(it->second, depth + 1);
        }
        // YAML merge keys (`<<: *base`, or a list of them), which yaml-cpp leaves to us:
        // keys written in the mapping win, then earlier merged mappings over later ones.
        for (const auto& merge : merges) {
          std::vector<YAML::Node> sources;
          if (merge.IsSequence()) {
            for (const auto& m : merge) sources.push_back(m);
          } else {
            sources.push_back(merge);
          }
          for (const auto& source : sources) {
            if (failure) break;
            if (!source.IsMap()) {
              errors_->push_back({locator_.at(source), "'<<' merges only mappings", ""});
              continue;
            }
            json::value merged = convert(source, depth + 1);
            if (!merged.is_object()) break;
            for (auto& member : merged.as_object()) {
              if (o.find(member.key()) == o.end()) o[member.key()] = std::move(member.value());
            }
          }
        }
        return json::value(std::move(o));
      }
    }
    return json::value(nullptr);
  }

 private:
  const Locator& locator_;
  YamlBudget* budget_;
  std::vector<TestError>* errors_;
};

}  // namespace

json::value yaml_to_json(const YAML::Node& node, const Locator& locator, YamlBudget* budget,
                         std::vector<TestError>* errors) {
  Converter converter(locator, budget, errors);
  json::value out = converter.convert(node, 0);
  if (converter.failure) {
    errors->push_back(std::move(*converter.failure));
    return json::value(nullptr);
  }
  return out;
}

bool read_case_file(const std::string& path, const Where& where, json::value* out,
                    std::vector<TestError>* errors) {
  std::string text;
  std::string reason;
  if (!read_file(path, &text, &reason)) {
    errors->push_back({where, "case file '" + path + "' " + reason, ""});
    return false;
  }
  const bool yaml = path.size() > 5 && (path.compare(path.size() - 5, 5, ".yaml") == 0 ||
                                        path.compare(path.size() - 4, 4, ".yml") == 0);
  if (yaml) {
    try {
      const Locator locator(path, text);
      const std::size_t before = errors->size();
      YamlBudget budget;
      *out = yaml_to_json(YAML::Load(text), locator, &budget, errors);
      return errors->size() == before;
    } catch (const YAML::Exception& e) {
      errors->push_back({Locator(path, text).at_offset(e.mark.pos), e.msg, ""});
      return false;
    }
  }
  json::error_code ec;
  *out = json::parse(text, ec);
  if (ec) {
    errors->push_back(
        {where, "case file '" + path + "' is not valid JSON (" + ec.message() + ")", ""});
    return false;
  }
  return true;
}

void merge_patch(json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object();
  json::object& t = target.as_object();
  for (const auto& member : patch.as_object()) {
    if (member.value().is_null()) {
      t.erase(member.key());
    } else {
      merge_patch(t[member.key()], member.value());
    }
  }
}

}  // namespace safeguard::cli::test

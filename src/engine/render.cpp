#include "engine/render.hpp"

#include <charconv>

#include "cel/lib/number_format.hpp"
#include "cel/value/ops.hpp"
#include "cel/value/to_json.hpp"
#include "time/date.hpp"
#include "time/duration.hpp"
#include "time/timestamp.hpp"

namespace safeguard::engine {

namespace {

// Longest text of one list or map value in a message; longer ones are cut short.
constexpr std::size_t kMaxValueText = 4096;

template <typename Out>
void append_value_text(Out& out, const cel::Value& v) {
  switch (v.kind) {
    case cel::ValueKind::kString:
      out += v.str();
      return;
    case cel::ValueKind::kInt: {  // counts in most messages: no temporary string
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.i);
      out.append(buf, static_cast<std::size_t>(r.ptr - buf));
      return;
    }
    case cel::ValueKind::kBool:
      out += v.b ? "true" : "false";
      return;
    case cel::ValueKind::kNull:
      out += "none";
      return;
    case cel::ValueKind::kError:
      out += "(unknown)";
      return;
    case cel::ValueKind::kDate:
      cel::append_date(out, v.i);
      return;
    case cel::ValueKind::kOptional:  // what it holds, as null reads: "none" when empty
      if (v.inner != nullptr) {
        append_value_text(out, *v.inner);
      } else {
        out += "none";
      }
      return;
    case cel::ValueKind::kList: {
      // The cap applies to this list's own text, as when it was rendered alone.
      const std::size_t start = out.size();
      bool first = true;
      cel::for_each_element(v, [&](const cel::Value& item) {
        if (!first) out += ", ";
        append_value_text(out, item);
        first = false;
        return out.size() - start < kMaxValueText;
      });
      return;
    }
    default:
      out += render_text(v);
      return;
  }
}

}  // namespace

void append_text(std::string& out, const cel::Value& v) {
  append_value_text(out, v);
}
void append_text(base::TextBuffer& out, const cel::Value& v) {
  append_value_text(out, v);
}

std::string render_text(const cel::Value& v) {
  switch (v.kind) {
    case cel::ValueKind::kString:
      return std::string(v.str());
    case cel::ValueKind::kInt:
      return std::to_string(v.i);
    case cel::ValueKind::kUint:
      return std::to_string(v.u);
    case cel::ValueKind::kDouble:
      return cel::format_double(v.d);
    case cel::ValueKind::kBool:
      return v.b ? "true" : "false";
    case cel::ValueKind::kNull:
      return "none";
    case cel::ValueKind::kDate:
      return time::format_date(v.i);
    case cel::ValueKind::kTimestamp:
      return time::format_timestamp(v.i, v.nanos());
    case cel::ValueKind::kDuration:
      return time::format_duration(v.i, v.nanos());
    case cel::ValueKind::kList: {
      std::string out;
      bool first = true;
      cel::for_each_element(v, [&](const cel::Value& item) {
        if (!first) out += ", ";
        out += render_text(item);
        first = false;
        return out.size() < kMaxValueText;
      });
      return out;
    }
    case cel::ValueKind::kError:
      return "(unknown)";
    case cel::ValueKind::kOptional:
      return v.inner != nullptr ? render_text(*v.inner) : "none";
    default: {
      // Maps, bytes and types as JSON, cut short like a list's text.
      std::string json;
      if (!cel::to_json(v, kMaxValueText, json)) json.append("...");
      return json;
    }
  }
}

}  // namespace safeguard::engine

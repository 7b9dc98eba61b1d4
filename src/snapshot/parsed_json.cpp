#include "snapshot/parsed_json.hpp"

#include <simdjson.h>

#include <cstring>

#include "snapshot/json_locate.hpp"

namespace safeguard::snapshot {

struct ParsedJson::Storage {
  simdjson::dom::document document;
};

ParsedJson::ParsedJson() : storage_(std::make_unique<Storage>()) {}
ParsedJson::~ParsedJson() = default;

void ParsedJson::set_invalid(std::vector<std::uint32_t> indexes, std::vector<cel::ErrorData> errors) {
  invalid_ = std::move(indexes);
  invalid_errors_ = std::move(errors);
  doc_.invalid = invalid_.empty() ? nullptr : invalid_.data();
  doc_.invalid_errors = invalid_errors_.empty() ? nullptr : invalid_errors_.data();
  doc_.invalid_count = static_cast<std::uint32_t>(invalid_.size());
}

struct JsonParser::Impl {
  simdjson::dom::parser parser;
  std::string padded;  // a copy with simdjson's required padding, reused between calls
};

JsonParser::JsonParser(JsonLimits limits) : impl_(std::make_unique<Impl>()), limits_(limits) {}
JsonParser::~JsonParser() = default;

bool JsonParser::parse(std::string_view text, ParsedJson& out, JsonError* error) {
  out.set_invalid({}, {});
  if (text.size() > limits_.max_bytes) {
    error->message = "the document is too large (" + std::to_string(text.size()) +
                     " bytes; the limit is " + std::to_string(limits_.max_bytes) + ")";
    error->line = error->column = 0;
    return false;
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the end.
  std::string& buffer = impl_->padded;
  buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  if (!text.empty()) std::memcpy(buffer.data(), text.data(), text.size());
  std::memset(buffer.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);

  simdjson::dom::document& document = out.storage_->document;
  auto& parser = impl_->parser;
  simdjson::error_code code = simdjson::SUCCESS;
  if (parser.max_depth() != limits_.max_depth + 1 || parser.capacity() < text.size()) {
    code = parser.allocate(std::max<std::size_t>(text.size(), 4096), limits_.max_depth + 1);
  }
  if (code == simdjson::SUCCESS) {
    code = parser.parse_into_document(document, reinterpret_cast<const std::uint8_t*>(buffer.data()),
                                      text.size(), false)
               .error();
  }
  if (code != simdjson::SUCCESS) {
    const JsonProblem p = locate_json_problem(text, limits_.max_depth);
    if (p.found) {
      error->message = p.message;
      error->line = p.line;
      error->column = p.column;
    } else {
      error->message = code == simdjson::DEPTH_ERROR
                           ? "nesting is too deep (the limit is " + std::to_string(limits_.max_depth) + ")"
                           : std::string("malformed JSON (") + simdjson::error_message(code) + ")";
      error->line = error->column = 0;
    }
    return false;
  }
  out.doc_.tape = document.tape.get();
  out.doc_.strings = document.string_buf.get();
  out.doc_.root = 1;
  return true;
}

}  // namespace safeguard::snapshot

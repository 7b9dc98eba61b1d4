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

std::uint64_t* ParsedJson::mutable_tape() noexcept {
  // doc_.tape is always storage this object owns (the parsed document's tape, or
  // tape_copy_ after copy_from); it is const in JsonDoc only because evaluation reads it.
  return const_cast<std::uint64_t*>(doc_.tape);
}

void ParsedJson::set_invalid(std::vector<std::uint32_t> indexes,
                             std::vector<cel::ErrorData> errors) {
  invalid_ = std::move(indexes);
  invalid_errors_ = std::move(errors);
  doc_.invalid = invalid_.empty() ? nullptr : invalid_.data();
  doc_.invalid_errors = invalid_errors_.empty() ? nullptr : invalid_errors_.data();
  doc_.invalid_count = static_cast<std::uint32_t>(invalid_.size());
  doc_.invalid_end = 0;
  doc_.invalid_bits = nullptr;
  if (!invalid_.empty()) mark_invalid_bits();
}

void ParsedJson::mark_invalid_bits() {
  // Sorted: the last is the largest.
  const std::uint32_t end = invalid_.back() + 1;
  invalid_bits_.assign((static_cast<std::size_t>(end) + 63) / 64, 0);
  for (const std::uint32_t i : invalid_) invalid_bits_[i >> 6] |= std::uint64_t{1} << (i & 63);
  doc_.invalid_end = end;
  doc_.invalid_bits = invalid_bits_.data();
}

void ParsedJson::start_layouts() {
  // tape[0] is the root marker; its payload is the index of the closing root marker.
  const auto length = static_cast<std::size_t>(cel::json_payload(&doc_, 0)) + 1;
  layout_at_.assign(length, cel::kNoTape);
  layout_used_ = 0;
  // Kept with the words here too: a copied or moved-from ParsedJson starts again right.
  layout_room_ = layout_words_.size();
  doc_.layout_at = nullptr;
  doc_.layout_words = nullptr;
}

void ParsedJson::grow_layouts(std::size_t words) {
  layout_words_.resize(std::max<std::size_t>({words, 2 * layout_words_.size(), 256}));
  layout_room_ = layout_words_.size();
}

void ParsedJson::finish_layouts() noexcept {
  doc_.layout_at = layout_at_.data();
  doc_.layout_words = layout_words_.data();
}

void ParsedJson::release_buffers() noexcept {
  storage_->document = simdjson::dom::document();
  doc_ = cel::JsonDoc();
  std::vector<std::uint64_t>().swap(tape_copy_);
  std::vector<std::uint32_t>().swap(invalid_);
  std::vector<cel::ErrorData>().swap(invalid_errors_);
  std::vector<std::uint64_t>().swap(invalid_bits_);
  std::vector<std::uint32_t>().swap(layout_at_);
  std::vector<std::uint32_t>().swap(layout_words_);
  layout_room_ = 0;
  layout_used_ = 0;
  text_bytes_ = 0;
}

std::size_t ParsedJson::buffer_bytes() const noexcept {
  return storage_->document.capacity() + tape_copy_.capacity() * sizeof(std::uint64_t) +
         layout_at_.capacity() * sizeof(std::uint32_t) +
         layout_words_.capacity() * sizeof(std::uint32_t);
}

void ParsedJson::copy_from(const ParsedJson& other) {
  const cel::JsonDoc* src = other.doc();
  text_bytes_ = other.text_bytes_;
  // tape[0] is the root marker; its payload is the index of the closing root marker.
  const auto length = static_cast<std::size_t>(cel::json_payload(src, 0)) + 1;
  tape_copy_.assign(src->tape, src->tape + length);
  doc_ = *src;
  doc_.tape = tape_copy_.data();
  set_invalid(other.invalid_, other.invalid_errors_);
}

struct JsonParser::Impl {
  simdjson::dom::parser parser;
  // A copy with simdjson's required padding, reused between calls (a vector, not a string,
  // so that giving it back leaves no capacity at all).
  std::vector<char> padded;
};

JsonParser::JsonParser(JsonLimits limits) : impl_(std::make_unique<Impl>()), limits_(limits) {}
JsonParser::~JsonParser() = default;

void JsonParser::release_buffers() noexcept {
  impl_->parser = simdjson::dom::parser();
  std::vector<char>().swap(impl_->padded);
}

std::size_t JsonParser::buffer_bytes() const noexcept {
  return impl_->parser.capacity() + impl_->padded.capacity();
}

bool JsonParser::parse(std::string_view text, ParsedJson& out, JsonError* error) {
  out.set_invalid({}, {});
  out.text_bytes_ = text.size();
  // RFC 8259 lets a parser ignore a UTF-8 byte order mark, and Windows tools write one; rule
  // files and batch input already skip it, so a snapshot file saved the same way reads the
  // same through eval and the C ABI. Lines and columns count from after it, as editors show.
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.remove_prefix(3);
  if (text.size() > limits_.max_bytes) {
    error->message = "the document is too large (" + std::to_string(text.size()) +
                     " bytes; the limit is " + std::to_string(limits_.max_bytes) + ")";
    error->line = error->column = 0;
    return false;
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the end. The buffer only grows: what
  // lies past the padding is never read, and resizing it down and up again for every
  // document of another length filled the difference with zeros only to overwrite them.
  std::vector<char>& buffer = impl_->padded;
  if (buffer.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  if (!text.empty()) std::memcpy(buffer.data(), text.data(), text.size());
  std::memset(buffer.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);

  simdjson::dom::document& document = out.storage_->document;
  auto& parser = impl_->parser;
  simdjson::error_code code = simdjson::SUCCESS;
  if (parser.max_depth() != limits_.max_depth + 1 || parser.capacity() < text.size()) {
    code = parser.allocate(std::max<std::size_t>(text.size(), 4096), limits_.max_depth + 1);
  }
  if (code == simdjson::SUCCESS) {
    code = parser
               .parse_into_document(document, reinterpret_cast<const std::uint8_t*>(buffer.data()),
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
      error->message =
          code == simdjson::DEPTH_ERROR
              ? "nesting is too deep (the limit is " + std::to_string(limits_.max_depth) + ")"
              : std::string("malformed JSON (") + simdjson::error_message(code) + ")";
      error->line = error->column = 0;
    }
    return false;
  }
  out.doc_.tape = document.tape.get();
  out.doc_.strings = document.string_buf.get();
  out.doc_.root = 1;
  out.doc_.layout_at = nullptr;  // the previous document's; validation records new ones
  out.doc_.layout_words = nullptr;
  return true;
}

}  // namespace safeguard::snapshot

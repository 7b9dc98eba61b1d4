// TZif parsing (RFC 8536). Every count in a header is checked against the bytes that are
// actually there before anything is read, so a truncated or hostile file is rejected, never
// read past its end.
#include <algorithm>

#include "time/timezone.hpp"

namespace safeguard::time {

namespace {

constexpr std::size_t kHeaderBytes = 44;
// Offsets beyond a day are not real zones; RFC 8536 suggests [-89999, 93599].
constexpr std::int32_t kMaxOffset = 26 * 3600;

class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}

  std::size_t remaining() const noexcept { return data_.size() - pos_; }
  std::size_t position() const noexcept { return pos_; }

  std::uint8_t u8() noexcept { return static_cast<std::uint8_t>(data_[pos_++]); }
  std::uint32_t u32() noexcept {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
    return v;
  }
  std::int64_t i64() noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
    return static_cast<std::int64_t>(v);
  }
  std::int64_t time(std::size_t width) noexcept {
    return width == 8 ? i64() : static_cast<std::int32_t>(u32());
  }
  void skip(std::size_t n) noexcept { pos_ += n; }
  std::string_view rest() const noexcept { return data_.substr(pos_); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::uint32_t isutcnt = 0;
  std::uint32_t isstdcnt = 0;
  std::uint32_t leapcnt = 0;
  std::uint32_t timecnt = 0;
  std::uint32_t typecnt = 0;
  std::uint32_t charcnt = 0;

  // Bytes of the data block that follows, computed in 64 bits so no count can wrap it.
  std::uint64_t data_bytes(std::size_t time_width) const noexcept {
    return std::uint64_t{timecnt} * (time_width + 1) + std::uint64_t{typecnt} * 6 + charcnt +
           std::uint64_t{leapcnt} * (time_width + 4) + isstdcnt + isutcnt;
  }
};

std::optional<Header> read_header(Bytes& in) {
  if (in.remaining() < kHeaderBytes) return std::nullopt;
  if (in.u8() != 'T' || in.u8() != 'Z' || in.u8() != 'i' || in.u8() != 'f') return std::nullopt;
  Header h;
  h.version = static_cast<char>(in.u8());
  if (h.version != 0 && (h.version < '2' || h.version > '4')) return std::nullopt;
  in.skip(15);
  h.isutcnt = in.u32();
  h.isstdcnt = in.u32();
  h.leapcnt = in.u32();
  h.timecnt = in.u32();
  h.typecnt = in.u32();
  h.charcnt = in.u32();
  // RFC 8536 section 3.1: at least one type and one character; the indicator counts are
  // zero or equal to typecnt; a type index is one byte.
  if (h.typecnt == 0 || h.typecnt > 256 || h.charcnt == 0) return std::nullopt;
  if ((h.isutcnt != 0 && h.isutcnt != h.typecnt) || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt)) {
    return std::nullopt;
  }
  // Leap-second zones ("right/...") count time differently from CEL, which has no leap
  // seconds; reading them as ordinary zones would be off by up to half a minute.
  if (h.leapcnt != 0) return std::nullopt;
  return h;
}

struct Block {
  std::vector<std::int64_t> transitions;
  std::vector<std::int32_t> offsets;
  std::int32_t initial_offset = 0;
};

std::optional<Block> read_block(Bytes& in, const Header& h, std::size_t width) {
  if (h.data_bytes(width) > in.remaining()) return std::nullopt;
  Block b;
  b.transitions.reserve(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    const std::int64_t t = in.time(width);
    if (!b.transitions.empty() && t <= b.transitions.back()) return std::nullopt;
    b.transitions.push_back(t);
  }
  std::vector<std::uint8_t> indices(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    indices[i] = in.u8();
    if (indices[i] >= h.typecnt) return std::nullopt;
  }
  std::vector<std::int32_t> type_offsets(h.typecnt);
  for (std::uint32_t i = 0; i < h.typecnt; ++i) {
    const auto utoff = static_cast<std::int32_t>(in.u32());
    const std::uint8_t isdst = in.u8();
    const std::uint8_t desigidx = in.u8();
    if (utoff < -kMaxOffset || utoff > kMaxOffset || isdst > 1 || desigidx >= h.charcnt) {
      return std::nullopt;
    }
    type_offsets[i] = utoff;
  }
  // Designations, leap-second records and the standard/UT indicators are not needed to
  // find an offset.
  in.skip(h.charcnt + std::size_t{h.leapcnt} * (width + 4) + h.isstdcnt + h.isutcnt);
  b.initial_offset = type_offsets[0];
  b.offsets.reserve(h.timecnt);
  for (std::uint8_t index : indices) b.offsets.push_back(type_offsets[index]);
  return b;
}

}  // namespace

TimeZone TimeZone::fixed(std::string name, std::int32_t offset_seconds) {
  TimeZone z;
  z.name_ = std::move(name);
  z.initial_offset_ = offset_seconds;
  return z;
}

std::optional<TimeZone> TimeZone::from_tzif(std::string name, std::string_view data) {
  if (data.size() > kMaxTzifBytes) return std::nullopt;
  Bytes in(data);
  std::optional<Header> h = read_header(in);
  if (!h) return std::nullopt;
  std::optional<Block> block;
  std::optional<PosixTimeZone> rule;
  if (h->version == 0) {
    block = read_block(in, *h, 4);
  } else {
    // Skip the 32-bit block: the 64-bit one after the second header supersedes it.
    if (h->data_bytes(4) > in.remaining()) return std::nullopt;
    in.skip(static_cast<std::size_t>(h->data_bytes(4)));
    h = read_header(in);
    if (!h || h->version == 0) return std::nullopt;
    block = read_block(in, *h, 8);
    if (!block) return std::nullopt;
    // Footer: "\n" TZ-string "\n". An empty string means "no rule".
    const std::string_view footer = in.rest();
    if (footer.size() < 2 || footer.front() != '\n') return std::nullopt;
    const std::size_t close = footer.find('\n', 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view tz = footer.substr(1, close - 1);
    if (!tz.empty()) {
      rule = parse_posix_tz(tz);
      if (!rule) return std::nullopt;
    }
  }
  if (!block) return std::nullopt;
  TimeZone z;
  z.name_ = std::move(name);
  z.initial_offset_ = block->initial_offset;
  z.transitions_ = std::move(block->transitions);
  z.offsets_ = std::move(block->offsets);
  z.rule_ = rule;
  return z;
}

std::int64_t TimeZone::offset_at(std::int64_t utc_seconds) const noexcept {
  if (transitions_.empty() || utc_seconds >= transitions_.back()) {
    if (rule_) return posix_offset_at(*rule_, utc_seconds);
    return transitions_.empty() ? initial_offset_ : offsets_.back();
  }
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<std::size_t>(it - transitions_.begin() - 1)];
}

}  // namespace safeguard::time

// SHA-256 (FIPS 180-4), for rule set fingerprints. Small and dependency-free: a rule set
// is hashed once when it is loaded.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace safeguard::base {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::array<std::uint8_t, 32> digest();
  std::string hex_digest();

 private:
  void block(const std::uint8_t* p);
  std::uint32_t h_[8];
  std::uint8_t buffer_[64];
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

std::string sha256_hex(std::string_view data);

}  // namespace safeguard::base

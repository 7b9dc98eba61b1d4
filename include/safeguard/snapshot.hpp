// A parsed case snapshot, for evaluating one case several times (against several
// as-of dates or rule sets) without parsing it again.
#pragma once

#include <memory>
#include <string_view>

#include "safeguard/diagnostic.hpp"
#include "safeguard/export.hpp"
#include "safeguard/options.hpp"

namespace safeguard {

class Snapshot;

struct SnapshotParse {
  std::shared_ptr<const Snapshot> snapshot;  // null when the text is not a JSON object
  Diagnostic error;                          // why, with line and column when known
  bool ok() const noexcept { return snapshot != nullptr; }
};

class SAFEGUARD_API Snapshot {
 public:
  static SnapshotParse parse(std::string_view json, const Limits& limits = {});
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  struct Impl;
  const Impl& impl() const noexcept { return *impl_; }

 private:
  explicit Snapshot(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace safeguard

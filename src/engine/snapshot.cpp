#include "engine/impl.hpp"

namespace safeguard {

Snapshot::Snapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Snapshot::~Snapshot() = default;

SnapshotParse Snapshot::parse(std::string_view json, const Limits& limits) {
  SnapshotParse out;
  auto impl = std::make_unique<Impl>();
  snapshot::JsonParser parser(
      snapshot::JsonLimits{limits.max_snapshot_bytes, limits.max_json_depth});
  snapshot::JsonError error;
  if (!parser.parse(json, impl->json, &error)) {
    out.error.code = "snapshot.json";
    out.error.file = "<snapshot>";
    out.error.message = "the snapshot is not valid JSON: " + error.message;
    out.error.line = error.line;
    out.error.column = error.column;
    return out;
  }
  if (!impl->json.root_is_object()) {
    out.error.code = "snapshot.not-object";
    out.error.file = "<snapshot>";
    out.error.message = "the snapshot must be a JSON object";
    return out;
  }
  out.snapshot = std::shared_ptr<const Snapshot>(new Snapshot(std::move(impl)));
  return out;
}

}  // namespace safeguard

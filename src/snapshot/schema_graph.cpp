// Checks on the graph of subschemas that apply to one and the same value: `$ref`, `allOf`,
// `anyOf` and `oneOf` edges. Recursion through `properties` or `items` is fine (each step
// moves into the value, which is finite), but a cycle of these edges would make
// validation loop forever, a long chain would exhaust the stack, and a diamond of allOfs
// would apply one subschema exponentially many times. All three are load errors.
#include <algorithm>

#include "snapshot/schema_load.hpp"

namespace safeguard::snapshot::schema {

namespace {

std::uint32_t edge_count(const Node& n) noexcept {
  return static_cast<std::uint32_t>((n.ref != kNoNode ? 1 : 0) + n.all_of.size() + n.any_of.size() +
                                    n.one_of.size());
}

// Edge `i` of `n`: the $ref first, then allOf, anyOf and oneOf in order.
std::uint32_t edge(const Node& n, std::uint32_t i) noexcept {
  if (n.ref != kNoNode) {
    if (i == 0) return n.ref;
    --i;
  }
  for (const auto* list : {&n.all_of, &n.any_of, &n.one_of}) {
    if (i < list->size()) return (*list)[i];
    i -= static_cast<std::uint32_t>(list->size());
  }
  return kNoNode;
}

}  // namespace

void check_schema_graph(Loader& loader) {
  const std::vector<Node>& nodes = loader.tree().nodes;
  enum : std::uint8_t { kWhite, kGray, kBlack };
  std::vector<std::uint8_t> color(nodes.size(), kWhite);
  std::vector<std::uint32_t> depth(nodes.size(), 1);
  std::vector<std::uint64_t> expansion(nodes.size(), 1);
  bool cycle = false;
  // Iterative depth-first search: the graph may be as deep as there are nodes.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // node, next edge
  for (std::uint32_t start = 0; start < nodes.size(); ++start) {
    if (color[start] != kWhite) continue;
    color[start] = kGray;
    stack.emplace_back(start, 0);
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      const Node& n = nodes[v];
      if (next < edge_count(n)) {
        const bool is_ref = n.ref != kNoNode && next == 0;
        const std::uint32_t child = edge(n, next++);
        if (child == kNoNode || color[child] == kBlack) continue;
        if (color[child] == kGray) {
          cycle = true;
          loader.error_at_location(
              "schema.ref-cycle", n.location + (is_ref ? "/$ref" : ""),
              "the schema at " + n.location + " leads back to " + nodes[child].location +
                  " through $ref, allOf, anyOf or oneOf without moving into the value",
              "a schema may refer to itself only inside 'properties', 'items' or "
              "'additionalProperties'");
          continue;
        }
        color[child] = kGray;
        stack.emplace_back(child, 0);
        continue;
      }
      std::uint32_t d = 0;
      std::uint64_t e = 1;
      for (std::uint32_t i = 0; i < edge_count(n); ++i) {
        const std::uint32_t child = edge(n, i);
        if (child == kNoNode) continue;
        d = std::max(d, depth[child]);
        e = std::min<std::uint64_t>(e + expansion[child], kMaxExpansion + 1);
      }
      depth[v] = d + 1;
      expansion[v] = e;
      color[v] = kBlack;
      stack.pop_back();
    }
  }
  if (cycle) return;
  for (std::uint32_t v = 0; v < nodes.size(); ++v) {
    if (depth[v] > kMaxDepth) {
      loader.error_at_location("schema.too-deep", nodes[v].location,
                               "$ref, allOf, anyOf and oneOf chain more than " +
                                   std::to_string(kMaxDepth) + " schemas deep from " +
                                   nodes[v].location + " (the limit is " +
                                   std::to_string(kMaxDepth) + ")");
      return;
    }
  }
  for (std::uint32_t v = 0; v < nodes.size(); ++v) {
    if (expansion[v] > kMaxExpansion) {
      loader.error_at_location("schema.too-complex", nodes[v].location,
                               "the schema at " + nodes[v].location + " applies more than " +
                                   std::to_string(kMaxExpansion) +
                                   " subschemas to one value (the limit is " +
                                   std::to_string(kMaxExpansion) + ")",
                               "refer to a shared definition once instead of through many "
                               "branches");
      return;
    }
  }
}

}  // namespace safeguard::snapshot::schema

// safeguard_error: diagnostics with locations, also offered as text and as JSON.
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "base/json_writer.hpp"
#include "capi/handles.hpp"

namespace safeguard::capi {

namespace {

void build_views(safeguard_error& e) {
  e.views.clear();
  e.views.reserve(e.diagnostics.size());
  for (const auto& d : e.diagnostics) {
    safeguard_diagnostic v{};
    v.severity = to_string(d.severity);
    v.code = d.code.c_str();
    v.file = d.file.c_str();
    v.line = d.line;
    v.column = d.column;
    v.message = d.message.c_str();
    v.hint = d.hint.c_str();
    e.views.push_back(v);
  }
}

std::string to_json(const safeguard_error& e) {
  std::string out;
  base::JsonWriter w(out);
  w.begin_object();
  w.key("status");
  w.string(safeguard_status_name(e.status));
  w.key("diagnostics");
  w.begin_array();
  for (const auto& d : e.diagnostics) {
    w.begin_object();
    w.key("severity");
    w.string(to_string(d.severity));
    w.key("code");
    w.string(d.code);
    w.key("file");
    w.string(d.file);
    w.key("line");
    w.uinteger(d.line);
    w.key("column");
    w.uinteger(d.column);
    w.key("message");
    w.string(d.message);
    w.key("hint");
    w.string(d.hint);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return out;
}

std::atomic<safeguard_error*> g_out_of_memory{nullptr};

}  // namespace

// What is left when even the error object cannot be allocated: one shared error, made on
// first need (if even that fails, *error stays NULL), which safeguard_error_free leaves
// alone.
safeguard_error* out_of_memory_error() noexcept {
  static safeguard_error* const e = [] {
    try {
      auto* p = new safeguard_error;
      p->status = SAFEGUARD_ERROR_NO_MEMORY;
      p->message = "out of memory\n";
      p->json = R"({"status":"no-memory","diagnostics":[]})";
      g_out_of_memory = p;
      return p;
    } catch (...) {
      return static_cast<safeguard_error*>(nullptr);
    }
  }();
  return e;
}

bool is_out_of_memory_error(const safeguard_error* error) noexcept {
  return error != nullptr && error == g_out_of_memory.load();
}

safeguard_status fail(safeguard_error** error, safeguard_status status,
                      std::vector<Diagnostic> diagnostics) noexcept {
  if (!error) return status;
  *error = nullptr;
  try {
    auto e = std::make_unique<safeguard_error>();
    e->status = status;
    e->diagnostics = std::move(diagnostics);
    build_views(*e);
    e->message = format(e->diagnostics);
    if (e->message.empty() || e->message.back() != '\n') e->message += '\n';
    e->json = to_json(*e);
    *error = e.release();
  } catch (...) {
    *error = out_of_memory_error();
  }
  return status;
}

safeguard_status fail(safeguard_error** error, safeguard_status status, const char* code,
                      std::string message) noexcept {
  if (!error) return status;
  try {
    Diagnostic d;
    d.code = code;
    d.message = std::move(message);
    std::vector<Diagnostic> list;
    list.push_back(std::move(d));
    return fail(error, status, std::move(list));
  } catch (...) {
    *error = out_of_memory_error();
    return status;
  }
}

}  // namespace safeguard::capi

using safeguard::capi::fail;

extern "C" {

const char* safeguard_status_name(safeguard_status status) {
  // A C caller may pass any int here ("unknown" for the rest, as the header says); read as
  // the enum type, a value outside its enumerators' range is undefined behaviour in C++
  // (UBSan: "load of value 99"), so its bytes are read as an int.
  static_assert(sizeof(int) == sizeof(safeguard_status), "safeguard_status is an int");
  int value = 0;
  std::memcpy(&value, &status, sizeof value);
  switch (value) {
    case SAFEGUARD_OK:
      return "ok";
    case SAFEGUARD_ERROR_ARGUMENT:
      return "argument";
    case SAFEGUARD_ERROR_RULES:
      return "rules";
    case SAFEGUARD_ERROR_SNAPSHOT:
      return "snapshot";
    case SAFEGUARD_ERROR_NO_MEMORY:
      return "no-memory";
    case SAFEGUARD_ERROR_INTERNAL:
      return "internal";
  }
  return "unknown";
}

safeguard_status safeguard_error_status(const safeguard_error* error) {
  return error ? error->status : SAFEGUARD_OK;
}

const char* safeguard_error_message(const safeguard_error* error) {
  return error ? error->message.c_str() : "";
}

size_t safeguard_error_diagnostic_count(const safeguard_error* error) {
  return error ? error->views.size() : 0;
}

const safeguard_diagnostic* safeguard_error_diagnostic(const safeguard_error* error, size_t index) {
  if (!error || index >= error->views.size()) return nullptr;
  return &error->views[index];
}

const char* safeguard_error_json(const safeguard_error* error) {
  return error ? error->json.c_str() : R"({"status":"ok","diagnostics":[]})";
}

void safeguard_error_free(safeguard_error* error) {
  if (safeguard::capi::is_out_of_memory_error(error)) return;  // the static one
  delete error;
}

void safeguard_string_free(char* text) {
  std::free(text);
}

}  // extern "C"

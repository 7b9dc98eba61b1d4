#include <cstdint>

#include "test_report.hpp"

namespace safeguard::cli::test {

namespace {

// Escapes for XML text and attributes. Control characters XML 1.0 forbids become U+FFFD;
// tab, newline and carriage return stay (as references inside attributes).
std::string xml(const std::string& s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\xEF\xBF\xBD";
        } else {
          out += ch;
        }
    }
  }
  return out;
}

}  // namespace

std::string junit_xml(const std::vector<TestRecord>& records) {
  std::size_t failures = 0;
  for (const auto& r : records) failures += r.passed ? 0 : 1;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"safeguard test\" tests=\"" + std::to_string(records.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n";
  for (std::size_t i = 0; i < records.size();) {
    std::size_t j = i;
    std::size_t suite_failures = 0;
    while (j < records.size() && records[j].file == records[i].file) {
      suite_failures += records[j].passed ? 0 : 1;
      ++j;
    }
    const std::string file = xml(records[i].file, true);
    out += "  <testsuite name=\"" + file + "\" tests=\"" + std::to_string(j - i) +
           "\" failures=\"" + std::to_string(suite_failures) + "\" errors=\"0\" skipped=\"0\">\n";
    for (; i < j; ++i) {
      const TestRecord& r = records[i];
      out += "    <testcase name=\"" + xml(r.name, true) + "\" classname=\"" + file + "\" file=\"" +
             file + "\" line=\"" + std::to_string(r.where.line) + "\"";
      if (r.passed) {
        out += "/>\n";
        continue;
      }
      out += ">\n      <failure message=\"" + xml(r.summary, true) + "\" type=\"" +
             (r.test_error ? "test-file-error" : "expectation") + "\">" + xml(r.failure, false) +
             "</failure>\n    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace safeguard::cli::test

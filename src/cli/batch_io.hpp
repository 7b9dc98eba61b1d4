// Input, output and progress display for `safeguard batch`.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace safeguard::cli::batch {

// Reads lines from a file or standard input in large blocks. Lines may be as long as
// memory allows; "\r\n" endings lose their "\r". A UTF-8 byte order mark at the start of
// the input is left to the snapshot parser, which skips one at the start of any case, so a
// line reads the same in a batch as in a file of its own.
class LineReader {
 public:
  LineReader() = default;
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // "-" is standard input. False with a reason when the input cannot be opened.
  bool open(const std::string& path, std::string* reason);
  // Lines longer than this many bytes are cut there: the rest is read and dropped as it
  // comes, so a line without end (a pipe from /dev/zero) cannot fill memory.
  void set_max_line(std::size_t bytes) { max_line_ = bytes; }
  // The next line, without its end; false at the end of input or on a read error.
  bool next(std::string& line);
  // The whole length of the line next() gave when it was cut; 0 when it was not.
  std::uint64_t cut_length() const { return cut_length_; }
  bool failed() const { return failed_; }
  std::uint64_t bytes_read() const { return consumed_; }
  // The input's size when it is a regular file; 0 when unknown (a pipe, a terminal).
  std::uint64_t size() const { return size_; }

 private:
  bool fill();

  std::FILE* file_ = nullptr;
  bool owned_ = false;
  bool failed_ = false;
  bool eof_ = false;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t size_ = 0;
  std::size_t max_line_ = SIZE_MAX;
  std::uint64_t cut_length_ = 0;
};

// Standard output, or a file written atomically: the lines go to a temporary file beside
// the target, which is renamed over it only when commit() succeeds. Until then the target
// is untouched, and the temporary file is removed on failure, on destruction without
// commit, and on SIGINT, SIGTERM or SIGHUP. A symbolic link is followed; a device or
// named pipe is written in place (output_target in cli.hpp).
class Output {
 public:
  Output() = default;
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  bool open(const std::string& path, std::string* reason);  // "" or "-": standard output
  bool write(const std::string& text);
  bool commit(std::string* reason);
  void abandon();

 private:
  std::FILE* file_ = nullptr;
  std::string target_;
  std::string temporary_;
  std::vector<char> buffer_;
  bool to_stdout_ = true;
  bool in_place_ = false;  // a device or named pipe, written directly (OutputTarget)
};

// A one-line progress bar on stderr: cases done, rate and, when the input size is known,
// a bar and the time left. Redraws at most ten times a second.
class Progress {
 public:
  explicit Progress(bool enabled, std::uint64_t input_bytes)
      : enabled_(enabled), input_bytes_(input_bytes), start_(std::chrono::steady_clock::now()) {}

  void update(std::uint64_t cases, std::uint64_t bytes_done, bool force = false);
  // Erases the bar (before other messages and at the end).
  void clear();
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  std::uint64_t input_bytes_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
  bool shown_ = false;
};

}  // namespace safeguard::cli::batch

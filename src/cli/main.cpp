// safeguard command-line program: dispatches to one file per command.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::puts("usage: safeguard <command> [options]");
    return argc < 2 ? 2 : 0;
  }
  std::fprintf(stderr, "safeguard: unknown command '%s'\n", argv[1]);
  return 2;
}

// Symbol visibility for the public API. The shared library is built with hidden
// visibility, so only what is marked SAFEGUARD_API is exported.
#pragma once

#if defined(_WIN32)
#define SAFEGUARD_API
#elif defined(__GNUC__) || defined(__clang__)
#define SAFEGUARD_API __attribute__((visibility("default")))
#else
#define SAFEGUARD_API
#endif

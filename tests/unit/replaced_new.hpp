// Replaces every global operator new and delete of a test program with ones over malloc, so
// that a test can count or refuse allocations. Include it in exactly one file of the
// program, which defines allocate_for_test(): malloc the size (at least 1 byte) or throw
// std::bad_alloc.
//
// The nothrow and array forms are replaced too (std::stable_sort's buffer, the arena's
// chunks): the library's own call the plain operator new, but under AddressSanitizer they
// stay the sanitizer's, which the delete here does not match, and which the test would
// not see.
#pragma once

#include <cstdlib>
#include <new>

void* allocate_for_test(std::size_t size);

void* operator new(std::size_t n) {
  return allocate_for_test(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(n);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t n) {
  return ::operator new(n);
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept {
  return ::operator new(n, tag);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

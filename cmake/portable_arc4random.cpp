// Linked into the portable binary only (cmake/portable.cmake). Debian 12's
// static libstdc++ (GCC 12) references arc4random, new in glibc 2.36, from
// std::random_device, which pgwarden never uses; the reference alone would
// make the binary refuse to start on glibc 2.35 (Ubuntu 22.04). Defined here
// with getrandom(2) (glibc 2.25), it needs nothing newer.
// https://gcc.gnu.org/git/?p=gcc.git;a=blob;f=libstdc%2B%2B-v3/src/c%2B%2B11/random.cc;hb=releases/gcc-12
#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

extern "C" uint32_t arc4random(void) {
    uint32_t value = 0;
    while (getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value))
        if (errno != EINTR) std::abort();  // no kernel randomness: nothing sane to return
    return value;
}

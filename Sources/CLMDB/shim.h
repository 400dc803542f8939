#ifndef FIHRIS_CLMDB_SHIM_H
#define FIHRIS_CLMDB_SHIM_H
#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* CRC32C (Castagnoli), the checksum of every value Fihris stores (LMDBStore). Chains:
   fihris_crc32c(fihris_crc32c(0, a), b) == fihris_crc32c(0, a ‖ b). Hardware instructions
   where the CPU has them (SSE4.2, ARMv8 CRC), else bit by bit. */
#if defined(__x86_64__)

__attribute__((target("sse4.2")))
static inline uint32_t fihris_crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); c = __builtin_ia32_crc32di(c, v); p += 8; n -= 8; }
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return c32;
}
static inline int fihris_crc32c_has_hw(void) { return __builtin_cpu_supports("sse4.2"); }
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
static inline uint32_t fihris_crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) {
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); crc = __crc32cd(crc, v); p += 8; n -= 8; }
    while (n--) crc = __crc32cb(crc, *p++);
    return crc;
}
static inline int fihris_crc32c_has_hw(void) { return 1; }
#else
static inline uint32_t fihris_crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) { (void)p; (void)n; return crc; }
static inline int fihris_crc32c_has_hw(void) { return 0; }
#endif

static inline uint32_t fihris_crc32c_sw(uint32_t crc, const uint8_t *p, size_t n) {
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return crc;
}

static inline uint32_t fihris_crc32c(uint32_t crc, const void *data, size_t n) {
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
    crc = fihris_crc32c_has_hw() ? fihris_crc32c_hw(crc, p, n) : fihris_crc32c_sw(crc, p, n);
    return ~crc;
}

/* The software path alone, for tests that compare it with the hardware one. */
static inline uint32_t fihris_crc32c_portable(uint32_t crc, const void *data, size_t n) {
    return ~fihris_crc32c_sw(~crc, (const uint8_t *)data, n);
}
/* Returns the heap's free memory to the system (glibc keeps what a large batch freed). */
#if defined(__GLIBC__)
#include <malloc.h>
static inline void fihris_release_free_heap(void) { malloc_trim(0); }
#else
static inline void fihris_release_free_heap(void) {}
#endif

#endif

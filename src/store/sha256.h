/* sha256.h -- SHA-256 (FIPS 180-4), for the content hash of stored documents. */
#ifndef TLY_SHA256_H
#define TLY_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct tly_sha256 {
    uint32_t h[8];
    uint64_t len;       /* bytes hashed so far */
    unsigned char buf[64];
    size_t fill;
    int ni;             /* 1: the CPU's SHA extensions (x86-64 SHA-NI) do the blocks */
} tly_sha256;

void tly_sha256_init(tly_sha256 *s);
/* As init, but never with the CPU's SHA extensions (tests compare both). */
void tly_sha256_init_portable(tly_sha256 *s);
void tly_sha256_update(tly_sha256 *s, const void *data, size_t len);
void tly_sha256_final(tly_sha256 *s, unsigned char out[32]);
/* The hash of data as 64 lowercase hex digits and a NUL. */
void tly_sha256_hex(const void *data, size_t len, char out[65]);
#endif

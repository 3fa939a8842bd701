/* file.h - read a whole input file, read-only, with a size ceiling.
 *
 * calcheck never opens its input for writing: this is the only way sources
 * read local files. Errors come back as a short reason (strerror or ours) for
 * the caller's "calcheck: FILE: reason" message; nothing is printed here.
 */
#ifndef CCK_FILE_H
#define CCK_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Largest single file read into memory (a .msg or a blob). */
#define CCK_FILE_MAX ((size_t)2 << 30)

typedef struct cck_file {
    uint8_t *data; /* owned; release with cck_file_release */
    size_t len;
} cck_file;

/* Returns 0, or -1 with *why set to a static or strerror() reason. */
int cck_file_read(const char *path, size_t limit, cck_file *out, const char **why);
void cck_file_release(cck_file *f);

/* Decodes hex text (whitespace ignored, optional "0x" prefixes per token are
 * not accepted) into dst, which must hold len/2 bytes. Returns the byte count,
 * or -1 if the text is not entirely hex digits and whitespace or has an odd count. */
long cck_hex_decode(const uint8_t *src, size_t len, uint8_t *dst);

#endif

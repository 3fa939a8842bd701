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
/* Regular files at least this large are mapped read-only instead of copied:
 * an 85 MB calendar costs 0.3 s of page faults and copying through read()
 * on a VM, and almost nothing mapped. Smaller files are cheaper to read. */
#define CCK_FILE_MAP_MIN ((size_t)1 << 20)

typedef struct cck_file {
    const uint8_t *data; /* owned, read-only; release with cck_file_release */
    size_t len;
    int mapped; /* internal: data is a mapping, not a heap copy */
} cck_file;

/* Returns 0, or -1 with *why set to a static or strerror() reason.
 * A large regular file is mapped with PROT_READ (so nothing in calcheck can
 * write to it); if another program truncates it while it is mapped, the
 * read past its new end would raise SIGBUS: the handler installed here then
 * prints "calcheck: PATH: the file shrank while it was being read" and exits
 * with status 2, instead of a crash. One mapping at a time is named. */
int cck_file_read(const char *path, size_t limit, cck_file *out, const char **why);
void cck_file_release(cck_file *f);

/* Decodes hex text (whitespace ignored, optional "0x" prefixes per token are
 * not accepted) into dst, which must hold len/2 bytes. Returns the byte count,
 * or -1 if the text is not entirely hex digits and whitespace or has an odd count. */
long cck_hex_decode(const uint8_t *src, size_t len, uint8_t *dst);

#endif

/* file.c - whole-file read-only input and hex text decoding (see file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cck_file_read(const char *path, size_t limit, cck_file *out, const char **why)
{
    out->data = NULL;
    out->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *why = strerror(errno);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        *why = strerror(errno);
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        *why = "is a directory";
        close(fd);
        return -1;
    }
    /* Regular files are read in one piece; pipes and devices grow a buffer. */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > limit) {
        *why = "file too large";
        close(fd);
        return -1;
    }
    uint8_t *buf = malloc(cap);
    size_t len = 0;
    if (!buf) {
        *why = "out of memory";
        close(fd);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            if (cap > limit) {
                free(buf);
                close(fd);
                *why = "file too large";
                return -1;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                *why = "out of memory";
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            *why = strerror(errno);
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (len > limit) {
        free(buf);
        *why = "file too large";
        return -1;
    }
    out->data = buf;
    out->len = len;
    return 0;
}

void cck_file_release(cck_file *f)
{
    free(f->data);
    f->data = NULL;
    f->len = 0;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long cck_hex_decode(const uint8_t *src, size_t len, uint8_t *dst)
{
    long n = 0;
    int hi = -1;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = src[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            continue;
        int v = hexval(c);
        if (v < 0)
            return -1;
        if (hi < 0) {
            hi = v;
        } else {
            dst[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? n : -1;
}

/* file.c - whole-file read-only input and hex text decoding (see file.h).
 * Large regular files are mapped PROT_READ; a SIGBUS inside such a mapping
 * (the file was truncated under us) ends the run with a message and status 2. */
#define _DEFAULT_SOURCE /* MAP_POPULATE, where the system has it */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The mappings alive now, for the SIGBUS handler: it may only read plain
 * memory and call async-signal-safe functions. Slots are filled before the
 * mapping is used and cleared before it is unmapped. */
#define MAP_SLOTS    8
#define MAP_PATH_MAX 1024
static struct {
    const uint8_t *volatile p;
    size_t n;
    char path[MAP_PATH_MAX];
} maps[MAP_SLOTS];

static void put_str(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(2, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    const uint8_t *a = si ? (const uint8_t *)si->si_addr : NULL;
    for (int i = 0; i < MAP_SLOTS; i++) {
        const uint8_t *p = maps[i].p;
        if (p && a >= p && a < p + maps[i].n) {
            put_str("calcheck: ");
            put_str(maps[i].path);
            put_str(": the file shrank while it was being read; run calcheck again when "
                    "nothing else is writing to it\n");
            _exit(2);
        }
    }
    /* Not ours: the default action, as if no handler were installed. */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Maps a regular file of len bytes read-only; NULL when it cannot (the
 * caller then reads it). */
static const uint8_t *map_file(int fd, size_t len, const char *path, int *slot)
{
    int i = 0;
    while (i < MAP_SLOTS && maps[i].p)
        i++;
    if (i == MAP_SLOTS)
        return NULL;
    static int installed;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGBUS, &sa, NULL) != 0)
            return NULL;
        installed = 1;
    }
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE; /* fault the pages in now, in one go */
#endif
    void *p = mmap(NULL, len, PROT_READ, flags, fd, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifndef MAP_POPULATE
    posix_madvise(p, len, POSIX_MADV_WILLNEED);
#endif
    size_t k = strlen(path);
    if (k >= MAP_PATH_MAX)
        k = MAP_PATH_MAX - 1;
    memcpy(maps[i].path, path, k);
    maps[i].path[k] = 0;
    maps[i].n = len;
    maps[i].p = p;
    *slot = i;
    return p;
}

int cck_file_read(const char *path, size_t limit, cck_file *out, const char **why)
{
    out->data = NULL;
    out->len = 0;
    out->mapped = 0;
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
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size >= CCK_FILE_MAP_MIN &&
        (uint64_t)st.st_size <= limit) {
        int slot;
        const uint8_t *p = map_file(fd, (size_t)st.st_size, path, &slot);
        if (p) {
            close(fd);
            out->data = p;
            out->len = (size_t)st.st_size;
            out->mapped = slot + 1;
            return 0;
        }
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
    if (f->mapped) {
        maps[f->mapped - 1].p = NULL;
        munmap((void *)(uintptr_t)f->data, f->len);
    } else {
        free((void *)(uintptr_t)f->data);
    }
    f->data = NULL;
    f->len = 0;
    f->mapped = 0;
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

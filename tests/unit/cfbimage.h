/* cfbimage.h - a small compound file writer for unit tests ([MS-CFB] layout,
 * one FAT sector): lays out a root, storages and streams (regular and mini)
 * in memory so that reader tests can build exactly the image they need,
 * including damaged ones. Header-only; include from one test file each. */
#ifndef CFBIMAGE_H
#define CFBIMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/cfb.h"

#define ENDOFCHAIN 0xFFFFFFFEu
#define FREESECT   0xFFFFFFFFu
#define FATSECT    0xFFFFFFFDu
#define NOSTREAM   0xFFFFFFFFu

typedef struct tent {
    const char *name;
    uint8_t type; /* CCK_CFB_ROOT (entry 0 only), STORAGE or STREAM */
    int parent;   /* index of the parent storage; -1 for the root */
    const uint8_t *data;
    uint32_t size;
    uint32_t start; /* out: first sector (regular or mini) */
} tent;

typedef struct img {
    uint8_t *buf;
    size_t len;
    unsigned ss;
    size_t dir_off;     /* byte offset of directory entry 0 */
    size_t minifat_off; /* byte offset of the mini FAT sector, 0 if none */
} img;

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static void chain(uint32_t *tab, uint32_t start, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        tab[start + i] = i + 1 < n ? start + i + 1 : ENDOFCHAIN;
}

/* Lays out header, FAT (sector 0), directory, mini FAT, mini stream and the
 * regular streams, in that order, each chain contiguous. Children of a
 * storage are linked as a right-sibling chain (a legal, if unbalanced, tree). */
static img build(tent *e, int n, unsigned shift)
{
    img im = {0};
    unsigned ss = 1u << shift, per = ss / 4;
    uint32_t fat[1024], minifat[1024];
    for (int i = 0; i < 1024; i++)
        fat[i] = minifat[i] = FREESECT;
    uint32_t next = 0;
    fat[next++] = FATSECT;
    uint32_t ndir = (uint32_t)((n * 128 + ss - 1) / ss), dir_start = next;
    chain(fat, next, ndir);
    next += ndir;
    uint32_t msects = 0;
    for (int i = 0; i < n; i++)
        if (e[i].type == CCK_CFB_STREAM && e[i].size < 4096) {
            uint32_t k = (e[i].size + 63) / 64;
            e[i].start = k ? msects : ENDOFCHAIN;
            if (k)
                chain(minifat, msects, k);
            msects += k;
        }
    uint32_t minifat_start = ENDOFCHAIN, mini_start = ENDOFCHAIN;
    if (msects) {
        minifat_start = next;
        chain(fat, next++, 1);
        uint32_t k = (msects * 64 + ss - 1) / ss;
        mini_start = next;
        chain(fat, next, k);
        next += k;
    }
    for (int i = 0; i < n; i++)
        if (e[i].type == CCK_CFB_STREAM && e[i].size >= 4096) {
            uint32_t k = (e[i].size + ss - 1) / ss;
            e[i].start = next;
            chain(fat, next, k);
            next += k;
        }
    if (next > per || msects > per)
        abort(); /* this writer has one FAT and one mini FAT sector */
    im.ss = ss;
    im.len = (size_t)ss * (next + 1);
    im.buf = calloc(1, im.len);
    uint8_t *h = im.buf;
    memcpy(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    put16(h + 24, 0x3E);
    put16(h + 26, shift == 9 ? 3 : 4);
    put16(h + 28, 0xFFFE);
    put16(h + 30, shift);
    put16(h + 32, 6);
    put32(h + 40, shift == 9 ? 0 : ndir);
    put32(h + 44, 1);
    put32(h + 48, dir_start);
    put32(h + 56, 4096);
    put32(h + 60, minifat_start);
    put32(h + 64, msects ? 1 : 0);
    put32(h + 68, ENDOFCHAIN);
    put32(h + 72, 0);
    for (int i = 0; i < 109; i++)
        put32(h + 76 + 4 * i, i == 0 ? 0 : FREESECT);
#define SEC(s) (im.buf + (size_t)ss * ((s) + 1))
    for (uint32_t i = 0; i < per; i++)
        put32(SEC(0) + 4 * i, fat[i]);
    im.dir_off = (size_t)ss * (dir_start + 1);
    for (uint32_t i = 0; i < ndir * ss / 128; i++) {
        uint8_t *d = im.buf + im.dir_off + 128 * i;
        put32(d + 68, NOSTREAM);
        put32(d + 72, NOSTREAM);
        put32(d + 76, NOSTREAM);
    }
    for (int i = 0; i < n; i++) {
        uint8_t *d = im.buf + im.dir_off + 128 * (size_t)i;
        size_t nl = strlen(e[i].name);
        for (size_t k = 0; k < nl; k++)
            put16(d + 2 * k, (uint8_t)e[i].name[k]);
        put16(d + 64, (uint32_t)(nl + 1) * 2);
        d[66] = e[i].type;
        d[67] = 1;
        if (e[i].parent >= 0) {
            /* Prepend to the parent's sibling chain. */
            uint8_t *p = im.buf + im.dir_off + 128 * (size_t)e[i].parent;
            memcpy(d + 72, p + 76, 4);
            put32(p + 76, (uint32_t)i);
        }
        if (i == 0) {
            put32(d + 116, mini_start);
            put32(d + 120, msects * 64);
        } else if (e[i].type == CCK_CFB_STREAM) {
            put32(d + 116, e[i].size ? e[i].start : ENDOFCHAIN);
            put32(d + 120, e[i].size);
        }
    }
    if (msects) {
        im.minifat_off = (size_t)ss * (minifat_start + 1);
        for (uint32_t i = 0; i < per; i++)
            put32(SEC(minifat_start) + 4 * i, minifat[i]);
    }
    for (int i = 0; i < n; i++) {
        if (e[i].type != CCK_CFB_STREAM || !e[i].size)
            continue;
        if (e[i].size < 4096)
            memcpy(SEC(mini_start) + 64 * (size_t)e[i].start, e[i].data, e[i].size);
        else
            memcpy(SEC(e[i].start), e[i].data, e[i].size);
    }
#undef SEC
    return im;
}

#endif

/* fuzz_blob.h - the shared body of the blob fuzz targets: each input is
 * decoded into a fresh arena and rendered both as text and as JSON (into
 * /dev/null), so parser and renderer are exercised together. A target
 * supplies only its decode-and-emit step. */
#ifndef FUZZ_BLOB_H
#define FUZZ_BLOB_H

#include <stdint.h>
#include <stdio.h>

#include "util/arena.h"
#include "util/emit.h"
#include "util/problems.h"

/* Arena ceiling per input: large enough for any legitimate blob. */
#define FUZZ_BLOB_ARENA ((size_t)64 << 20)

typedef void (*fuzz_decode_fn)(const uint8_t *data, size_t size, cck_arena *a, cck_emit *e);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline int fuzz_blob_run(const uint8_t *data, size_t size, fuzz_decode_fn decode)
{
    const cck_emit_format fmts[2] = {CCK_EMIT_TEXT, CCK_EMIT_JSON};
    for (int i = 0; i < 2; i++) {
        cck_arena *a = cck_arena_new(FUZZ_BLOB_ARENA);
        FILE *out = fopen("/dev/null", "w");
        if (a && out) {
            cck_emit *e = cck_emit_new(out, fmts[i]);
            if (e) {
                decode(data, size, a, e);
                cck_emit_finish(e);
            }
        }
        if (out)
            fclose(out);
        cck_arena_free(a);
    }
    return 0;
}

#endif

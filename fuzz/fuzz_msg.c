/* fuzz_msg.c - libFuzzer target for the .msg reader (msg.c over cfb.c):
 * opens the input in a fresh arena and touches every decoded value of the
 * message, its recipients, attachments, embedded messages, problems and the
 * named-property map, so ASan sees any out-of-bounds or dangling pointer. */
#include "fuzz_touch.h"

#define FUZZ_ARENA_LIMIT ((size_t)64 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cck_arena *a = cck_arena_new(FUZZ_ARENA_LIMIT);
    if (!a)
        return 0;
    cck_msg *m = NULL;
    const char *why = NULL;
    if (cck_msg_open(data, size, a, &m, &why) == CCK_MSG_OK) {
        touch_msg(m);
        touch_key(cck_msg_named(m, cck_msg_nnamed(m))); /* one past the end: NULL */
    } else {
        touch_str(why);
    }
    cck_arena_free(a);
    return 0;
}

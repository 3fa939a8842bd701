/* fuzz_pst.c - libFuzzer target for the PST/OST source (sources/pst.c over
 * libpff, [MS-PST]): opens the input through cck_pst_open_mem (a temporary
 * file per run: libbfio's memory range overreads), walks the calendars and builds every item in a
 * fresh arena, touching every value so ASan sees any out-of-bounds or dangling pointer. Crashes
 * inside libpff itself are libpff's (report them; calcheck does not patch it). */
#include "fuzz_touch.h"
#include "sources/pst.h"

#define FUZZ_ARENA_LIMIT ((size_t)64 << 20)
#define FUZZ_MAX_ITEMS   256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = NULL;
    cck_pst *p = cck_pst_open_mem(data, size, &why);
    if (!p) {
        touch_str(why);
        return 0;
    }
    const cck_pst_mailbox *mb = cck_pst_mailbox_info(p);
    touch_str(mb->store_name);
    touch_str(mb->owner);
    for (size_t i = 0; i < mb->n_owner_addresses; i++)
        touch_str(mb->owner_addresses[i]);
    for (size_t i = 0; i < cck_pst_ncalendars(p); i++)
        touch_str(cck_pst_calendar_at(p, i)->path);
    cck_arena *a = cck_arena_new(FUZZ_ARENA_LIMIT);
    for (int n = 0; a && n < FUZZ_MAX_ITEMS; n++) {
        cck_msg *m;
        const char *where;
        cck_arena_reset(a);
        int r = cck_pst_next(p, a, &m, &where, &why);
        if (r == 0)
            break;
        touch_str(where);
        if (r < 0)
            touch_str(why);
        else
            touch_msg(m);
    }
    cck_arena_free(a);
    cck_pst_close(p);
    return 0;
}

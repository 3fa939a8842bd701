/* fuzz_pst.c - libFuzzer target for the PST/OST source (sources/pst.c over
 * libpff, [MS-PST]): opens the input through cck_pst_open_mem (a temporary
 * file per run: libbfio's memory range overreads), walks the calendars and builds every item in a
 * fresh arena, touching every value so ASan sees any out-of-bounds or dangling pointer. Crashes
 * inside libpff itself are libpff's (report them; calcheck does not patch it). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sources/pst.h"

#define FUZZ_ARENA_LIMIT ((size_t)64 << 20)
#define FUZZ_MAX_ITEMS   256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint64_t sink;

static void touch_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 31 + b[i];
    sink += h;
}

static void touch_str(const char *s)
{
    if (s)
        touch_bytes(s, strlen(s) + 1);
}

static void touch_props(const cck_props *ps)
{
    for (size_t i = 0; ps && i < ps->n; i++) {
        const cck_prop *q = &ps->v[i];
        if (q->key) {
            touch_bytes(q->key->guid.b, 16);
            if (q->key->is_name)
                touch_str(q->key->name);
        }
        if (q->bin)
            touch_bytes(q->bin, q->binlen);
        if (q->str.s)
            touch_bytes(q->str.s, q->str.len + 1);
        for (size_t k = 0; k < q->count; k++) {
            if (q->mv[k].bin)
                touch_bytes(q->mv[k].bin, q->mv[k].binlen);
            if (q->mv[k].str.s)
                touch_bytes(q->mv[k].str.s, q->mv[k].str.len + 1);
        }
    }
}

static void touch_msg(const cck_msg *m)
{
    touch_props(cck_msg_props(m));
    for (size_t i = 0; i < cck_msg_nrecips(m); i++) {
        touch_props(cck_msg_recip(m, i));
        touch_str(cck_msg_recip_damage(m, i));
    }
    for (size_t i = 0; i < cck_msg_nattachs(m); i++) {
        touch_props(cck_msg_attach(m, i));
        touch_str(cck_msg_attach_damage(m, i));
        if (cck_msg_attach_msg(m, i))
            touch_msg(cck_msg_attach_msg(m, i));
    }
    const cck_problems *pr = cck_msg_problems(m);
    for (size_t i = 0; i < pr->n; i++)
        touch_str(pr->v[i].text);
}

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

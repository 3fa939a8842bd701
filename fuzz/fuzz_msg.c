/* fuzz_msg.c - libFuzzer target for the .msg reader (msg.c over cfb.c):
 * opens the input in a fresh arena and touches every decoded value of the
 * message, its recipients, attachments, embedded messages, problems and the
 * named-property map, so ASan sees any out-of-bounds or dangling pointer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "msg/msg.h"

#define FUZZ_ARENA_LIMIT ((size_t)64 << 20)

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

static void touch_key(const cck_propkey *k)
{
    if (!k)
        return;
    touch_bytes(k->guid.b, 16);
    if (k->is_name)
        touch_str(k->name);
    else
        sink += k->lid;
}

static void touch_prop(const cck_prop *p)
{
    sink += p->id + p->type + p->flags + (uint64_t)p->v.i;
    touch_key(p->key);
    if (p->bin)
        touch_bytes(p->bin, p->binlen);
    if (p->str.s)
        touch_bytes(p->str.s, p->str.len + 1);
    for (size_t i = 0; i < p->count; i++)
        touch_prop(&p->mv[i]);
}

static void touch_props(const cck_props *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->n; i++)
        touch_prop(&ps->v[i]);
    /* The lookups must agree with a linear scan. */
    if (ps->n) {
        const cck_prop *p = cck_props_get(ps, ps->v[ps->n - 1].id);
        if (!p || p->id != ps->v[ps->n - 1].id)
            __builtin_trap();
    }
    sink += (uintptr_t)cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_RECUR);
    sink += (uintptr_t)cck_props_get_name(ps, &CCK_PS_PUBLIC_STRINGS, "Keywords");
}

static void touch_msg(const cck_msg *m)
{
    const cck_problems *pr = cck_msg_problems(m);
    for (size_t i = 0; i < pr->n; i++) {
        touch_str(pr->v[i].code);
        touch_str(pr->v[i].text);
    }
    touch_props(cck_msg_props(m));
    for (size_t i = 0; i < cck_msg_nrecips(m); i++)
        touch_props(cck_msg_recip(m, i));
    for (size_t i = 0; i < cck_msg_nattachs(m); i++) {
        touch_props(cck_msg_attach(m, i));
        const cck_msg *e = cck_msg_attach_msg(m, i);
        if (e)
            touch_msg(e);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cck_arena *a = cck_arena_new(FUZZ_ARENA_LIMIT);
    if (!a)
        return 0;
    cck_msg *m = NULL;
    const char *why = NULL;
    if (cck_msg_open(data, size, a, &m, &why) == CCK_MSG_OK) {
        touch_msg(m);
        for (size_t i = 0; i <= cck_msg_nnamed(m); i++)
            touch_key(cck_msg_named(m, i));
    } else {
        touch_str(why);
    }
    cck_arena_free(a);
    return 0;
}

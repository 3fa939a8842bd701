/* fuzz_touch.h - reads every byte a decoded message tree points to (values,
 * strings, keys, problems, damage reasons, embedded messages), so ASan sees
 * any out-of-bounds or dangling pointer a reader leaves behind. Shared by
 * the .msg and PST/OST fuzz targets, which build the same tree. */
#ifndef FUZZ_TOUCH_H
#define FUZZ_TOUCH_H

#include <stdint.h>
#include <string.h>

#include "msg/msg.h"

static volatile uint64_t fuzz_sink;

static inline void touch_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 31 + b[i];
    fuzz_sink += h;
}

static inline void touch_str(const char *s)
{
    if (s)
        touch_bytes(s, strlen(s) + 1);
}

static inline void touch_key(const cck_propkey *k)
{
    if (!k)
        return;
    touch_bytes(k->guid.b, 16);
    if (k->is_name)
        touch_str(k->name);
    else
        fuzz_sink += k->lid;
}

static void touch_prop(const cck_prop *p)
{
    fuzz_sink += p->id + p->type + p->flags + (uint64_t)p->v.i;
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
    /* The lookups must agree with the list. */
    if (ps->n) {
        const cck_prop *p = cck_props_get(ps, ps->v[ps->n - 1].id);
        if (!p || p->id != ps->v[ps->n - 1].id)
            __builtin_trap();
    }
    fuzz_sink += (uintptr_t)cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_RECUR);
    fuzz_sink += (uintptr_t)cck_props_get_name(ps, &CCK_PS_PUBLIC_STRINGS, "Keywords");
}

static void touch_msg(const cck_msg *m)
{
    const cck_problems *pr = cck_msg_problems(m);
    for (size_t i = 0; i < pr->n; i++) {
        touch_str(pr->v[i].code);
        touch_str(pr->v[i].text);
    }
    touch_props(cck_msg_props(m));
    for (size_t i = 0; i < cck_msg_nrecips(m); i++) {
        touch_props(cck_msg_recip(m, i));
        touch_str(cck_msg_recip_damage(m, i));
    }
    for (size_t i = 0; i < cck_msg_nattachs(m); i++) {
        touch_props(cck_msg_attach(m, i));
        touch_str(cck_msg_attach_damage(m, i));
        const cck_msg *e = cck_msg_attach_msg(m, i);
        if (e)
            touch_msg(e);
    }
    for (size_t i = 0; i < cck_msg_nnamed(m); i++)
        touch_key(cck_msg_named(m, i));
}

#endif

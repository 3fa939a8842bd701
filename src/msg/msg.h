/* msg.h - an Outlook .msg file ([MS-OXMSG]) decoded into a read-only tree.
 *
 * cck_msg_open() reads the compound file ([MS-CFB], see cfb.h), the property
 * streams of the message, its recipients and attachments, and every embedded
 * message, and resolves named properties through the __nameid_version1.0
 * storage to (GUID, LID) or (GUID, name). Strings are converted to UTF-8.
 *
 * Ownership: everything - the tree, values, strings, problems - lives in the
 * arena passed to cck_msg_open(); it dies with cck_arena_reset/free. The input
 * bytes are copied where needed and may be released after cck_msg_open returns.
 *
 * Damage is not fatal: a missing stream, a truncated property, an unresolved
 * named id, a cycle in a sector chain become problems on the message (with
 * the stream or storage they concern in the text) and decoding goes on. Only
 * input that is not a compound file at all fails to open.
 */
#ifndef CCK_MSG_H
#define CCK_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../mapi/props.h"
#include "../util/arena.h"
#include "../util/problems.h"
#include "../util/text.h"

/* Named limits; exceeding one is a problem, never a crash. */
#define CCK_MSG_MAX_DEPTH   8     /* embedded messages inside embedded messages */
#define CCK_MSG_MAX_RECIPS  32768 /* recipient storages per message */
#define CCK_MSG_MAX_ATTACHS 32768 /* attachment storages per message */
#define CCK_MSG_MAX_MV      65536 /* elements of one multi-valued property */

typedef struct cck_prop cck_prop;
struct cck_prop {
    uint16_t id;            /* as stored; >= 0x8000 are this message's named-property ids */
    uint16_t type;          /* CCK_PT_*, with CCK_PT_MV for multi-valued properties */
    uint32_t flags;         /* PROPATTR_* flags from the property stream */
    const cck_propkey *key; /* named properties: their identity; NULL for tags < 0x8000
                               and for named ids the map does not resolve (a problem) */
    /* Single values. */
    union {
        int64_t i;   /* I2, LONG, I8, ERROR, CURRENCY (sign-extended), BOOLEAN (0/1) */
        uint64_t ft; /* SYSTIME: FILETIME */
        double d;    /* R4, DOUBLE, APPTIME */
    } v;
    const uint8_t *bin; /* BINARY, CLSID, OBJECT, SVREID; for strings their raw bytes */
    size_t binlen;
    cck_str str; /* UNICODE and STRING8 as UTF-8 */
    /* Multi-valued: `count` elements, each a cck_prop with the element type. */
    size_t count;
    const cck_prop *mv;
};

/* A property list sorted by id. */
typedef struct cck_props {
    const cck_prop *v;
    size_t n;
} cck_props;

typedef struct cck_msg cck_msg;

typedef enum {
    CCK_MSG_OK = 0,
    CCK_MSG_NOT_CFB, /* no compound file signature or unusable header */
    CCK_MSG_NOT_MSG, /* a compound file without the streams of a message */
    CCK_MSG_NOMEM    /* the arena limit was reached */
} cck_msg_status;

/* Decodes a whole .msg held in memory. On CCK_MSG_OK *out is set (possibly
 * with problems); otherwise *out is NULL and *why, when why is non-NULL,
 * holds a reason naming what was wrong ("bad signature 0x..."). */
cck_msg_status cck_msg_open(const uint8_t *data, size_t len, cck_arena *a, cck_msg **out,
                            const char **why);
const char *cck_msg_status_text(cck_msg_status s);

const cck_props *cck_msg_props(const cck_msg *m);
size_t cck_msg_nrecips(const cck_msg *m);
const cck_props *cck_msg_recip(const cck_msg *m, size_t i);
size_t cck_msg_nattachs(const cck_msg *m);
const cck_props *cck_msg_attach(const cck_msg *m, size_t i);
/* The message embedded in attachment i (PidTagAttachMethod 5), or NULL. */
const cck_msg *cck_msg_attach_msg(const cck_msg *m, size_t i);
/* Why recipient / attachment i could not be read at all (its storage has no
 * usable property stream), or NULL when it could. Its property list is then
 * empty; the reason is also among the message's problems. */
const char *cck_msg_recip_damage(const cck_msg *m, size_t i);
const char *cck_msg_attach_damage(const cck_msg *m, size_t i);
/* Structural problems of this message (its own streams; an embedded message
 * has its own list). */
const cck_problems *cck_msg_problems(const cck_msg *m);
/* The named-property map of the file: entry i maps id 0x8000 + i to a key.
 * Embedded messages share the top-level map. Returns NULL past the end and
 * for an id the map leaves undefined. */
size_t cck_msg_nnamed(const cck_msg *m);
const cck_propkey *cck_msg_named(const cck_msg *m, size_t i);

/* Building a message from another container (PST/OST: sources/pst.c), so
 * that everything downstream - the item mapping, dump, checks - reads one
 * kind of tree. All memory comes from the arena; property arrays passed in
 * are taken over (sorted in place by id) and must live in that arena too.
 * Named properties carry their key in cck_prop.key; such a message has no
 * name map (cck_msg_nnamed is 0). Functions return 0, or -1 when the arena is
 * exhausted. */
cck_msg *cck_msg_new(cck_arena *a);
int cck_msg_set_props(cck_msg *m, cck_prop *v, size_t n);
/* damage: why the recipient / attachment could not be read, or NULL. */
int cck_msg_add_recip(cck_msg *m, cck_prop *v, size_t n, const char *damage);
int cck_msg_add_attach(cck_msg *m, cck_prop *v, size_t n, const cck_msg *embedded,
                       const char *damage);
/* The message's own problem list, for the builder to add to. */
cck_problems *cck_msg_problems_mut(cck_msg *m);

/* Sets p's value from the little-endian bytes of a fixed-size value of
 * `type` (I2, LONG, ERROR, R4, DOUBLE, APPTIME, CURRENCY, I8, BOOLEAN,
 * SYSTIME); v holds at least that type's size. Shared by every reader. */
void cck_prop_set_fixed(cck_prop *p, uint16_t type, const uint8_t *v);

/* Lookups in a property list (binary search; NULL when absent). */
const cck_prop *cck_props_get(const cck_props *p, uint16_t id);
const cck_prop *cck_props_get_lid(const cck_props *p, const cck_guid *set, uint32_t lid);
const cck_prop *cck_props_get_name(const cck_props *p, const cck_guid *set, const char *name);

#endif

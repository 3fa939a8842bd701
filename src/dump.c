/* dump.c - `calcheck dump`: renders a decoded .msg ([MS-OXMSG]) and the
 * calendar blobs inside it ([MS-OXOCAL] 2.2.1.27, 2.2.1.39, 2.2.1.41-44) through
 * the emitter, so text and JSON show the same tree. Named properties are
 * matched to decoders by (property set, LID), never by LID alone. */
#include "dump.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mapi/goid.h"
#include "mapi/pds.h"
#include "mapi/props.h"
#include "mapi/recur.h"
#include "mapi/tz.h"
#include "msg/msg.h"
#include "util/arena.h"
#include "util/emit.h"
#include "util/file.h"
#include "util/time.h"

static const struct {
    const char *name;
    cck_blob_kind kind;
    const char *title; /* member name of the decoded structure */
} blob_kinds[] = {
    {"recur", CCK_BLOB_RECUR, "AppointmentRecurrencePattern"},
    {"pattern", CCK_BLOB_PATTERN, "RecurrencePattern"},
    {"tzdef", CCK_BLOB_TZDEF, "TZDEFINITION"},
    {"tzreg", CCK_BLOB_TZREG, "TZREG"},
    {"goid", CCK_BLOB_GOID, "GlobalObjectId"},
    {"pds", CCK_BLOB_PDS, "PropertyDefinitionStream"},
};

/* Which named properties hold which structure. */
static const struct {
    const cck_guid *set;
    uint32_t lid;
    cck_blob_kind kind;
} decoders[] = {
    {&CCK_PSETID_APPOINTMENT, CCK_LID_APPT_RECUR, CCK_BLOB_RECUR},
    {&CCK_PSETID_APPOINTMENT, CCK_LID_TIME_ZONE_STRUCT, CCK_BLOB_TZREG},
    {&CCK_PSETID_APPOINTMENT, CCK_LID_APPT_TZDEF_START_DISPLAY, CCK_BLOB_TZDEF},
    {&CCK_PSETID_APPOINTMENT, CCK_LID_APPT_TZDEF_END_DISPLAY, CCK_BLOB_TZDEF},
    {&CCK_PSETID_APPOINTMENT, CCK_LID_APPT_TZDEF_RECUR, CCK_BLOB_TZDEF},
    {&CCK_PSETID_MEETING, CCK_LID_GLOBAL_OBJECT_ID, CCK_BLOB_GOID},
    {&CCK_PSETID_MEETING, CCK_LID_CLEAN_GLOBAL_OBJECT_ID, CCK_BLOB_GOID},
    {&CCK_PSETID_COMMON, CCK_LID_PROPERTY_DEFINITION_STREAM, CCK_BLOB_PDS},
    {&CCK_PSETID_TASK, 0x8116 /* PidLidTaskRecurrence */, CCK_BLOB_PATTERN},
};

cck_blob_kind cck_dump_blob_kind(const char *name)
{
    for (size_t i = 0; i < sizeof blob_kinds / sizeof blob_kinds[0]; i++)
        if (strcmp(name, blob_kinds[i].name) == 0)
            return blob_kinds[i].kind;
    return CCK_BLOB_NONE;
}

static const char *blob_title(cck_blob_kind k)
{
    for (size_t i = 0; i < sizeof blob_kinds / sizeof blob_kinds[0]; i++)
        if (blob_kinds[i].kind == k)
            return blob_kinds[i].title;
    return "blob";
}

/* State shared by one dump: the emitter, the arena, the problem count. */
typedef struct dumper {
    cck_emit *e;
    cck_arena *a;
    size_t problems;
} dumper;

/* Decodes one blob as `kind` and emits it under `key`. */
static void decode_blob(dumper *d, cck_blob_kind kind, const uint8_t *p, size_t n, const char *key)
{
    cck_problems pr;
    cck_problems_init(&pr, d->a);
    switch (kind) {
    case CCK_BLOB_RECUR: {
        const cck_apptrecur *r = cck_apptrecur_parse(p, n, d->a, &pr);
        if (r)
            cck_apptrecur_emit(r, &pr, d->e, key);
        break;
    }
    case CCK_BLOB_PATTERN: {
        const cck_recur *r = cck_recur_parse(p, n, d->a, &pr);
        if (r)
            cck_recur_emit(r, &pr, d->e, key);
        break;
    }
    case CCK_BLOB_TZDEF: {
        const cck_tzdef *t = cck_tzdef_parse(p, n, d->a, &pr);
        if (t)
            cck_tzdef_emit(t, &pr, d->e, key);
        break;
    }
    case CCK_BLOB_TZREG: {
        const cck_tzreg *t = cck_tzreg_parse(p, n, d->a, &pr);
        if (t)
            cck_tzreg_emit(t, &pr, d->e, key);
        break;
    }
    case CCK_BLOB_GOID: {
        const cck_goid *g = cck_goid_parse(p, n, d->a, &pr);
        if (g)
            cck_goid_emit(g, &pr, d->e, key);
        break;
    }
    case CCK_BLOB_PDS: {
        const cck_pds *s = cck_pds_parse(p, n, d->a, &pr);
        if (s)
            cck_pds_emit(s, &pr, d->e, key);
        break;
    }
    case CCK_BLOB_NONE:
        break;
    }
    d->problems += pr.n + pr.dropped;
}

static void emit_problems(dumper *d, const cck_problems *pr)
{
    cck_mapi_emit_problems(pr, d->e);
    d->problems += pr->n + pr->dropped;
}

/* One value of a single-valued property or one element of a multi-valued one. */
static void emit_value(dumper *d, const char *key, const cck_prop *p, uint16_t type)
{
    char buf[CCK_GUID_BUF > CCK_TIME_BUF ? CCK_GUID_BUF : CCK_TIME_BUF];
    switch (type) {
    case CCK_PT_I2:
    case CCK_PT_LONG:
    case CCK_PT_I8:
        cck_emit_int(d->e, key, p->v.i);
        break;
    case CCK_PT_ERROR:
        cck_emit_hex(d->e, key, (uint32_t)p->v.i, 8);
        break;
    case CCK_PT_BOOLEAN:
        cck_emit_bool(d->e, key, p->v.i != 0);
        break;
    case CCK_PT_R4:
    case CCK_PT_DOUBLE:
    case CCK_PT_APPTIME:
        cck_emit_double(d->e, key, p->v.d);
        break;
    case CCK_PT_CURRENCY:
        /* Currency is a fixed-point count of 1/10000 units. */
        cck_emit_double(d->e, key, (double)p->v.i / 10000.0);
        break;
    case CCK_PT_SYSTIME:
        cck_emit_str(d->e, key, cck_fmt_filetime(p->v.ft, buf));
        break;
    case CCK_PT_CLSID:
        if (p->binlen == 16) {
            cck_guid g;
            memcpy(g.b, p->bin, 16);
            cck_emit_str(d->e, key, cck_guid_fmt(&g, buf));
        } else {
            cck_emit_bytes(d->e, key, p->bin, p->binlen);
        }
        break;
    case CCK_PT_UNICODE:
    case CCK_PT_STRING8:
        cck_emit_strn(d->e, key, p->str.s ? p->str.s : "", p->str.len);
        break;
    case CCK_PT_NULL:
    case CCK_PT_UNSPECIFIED:
        cck_emit_null(d->e, key);
        break;
    default:
        cck_emit_bytes(d->e, key, p->bin, p->binlen);
        break;
    }
}

static cck_blob_kind decoder_for(const cck_prop *p)
{
    if (!p->key || p->key->is_name || p->type != CCK_PT_BINARY)
        return CCK_BLOB_NONE;
    for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++)
        if (decoders[i].lid == p->key->lid && cck_guid_eq(decoders[i].set, &p->key->guid))
            return decoders[i].kind;
    return CCK_BLOB_NONE;
}

/* "0x0037001F PidTagSubject PT_UNICODE" or
 * "0x8003 PSETID_Appointment/0x820D PidLidAppointmentStartWhole PT_SYSTIME". */
static void prop_label(const cck_prop *p, char *buf, size_t size)
{
    char tbuf[16], gbuf[CCK_GUID_BUF];
    const char *type = cck_pt_name(p->type);
    if (!type) {
        snprintf(tbuf, sizeof tbuf, "type 0x%04X", p->type);
        type = tbuf;
    }
    if (p->id < 0x8000) {
        const char *name = cck_tag_name(p->id);
        snprintf(buf, size, "0x%08" PRIX32 " %s %s", CCK_TAG(p->id, p->type),
                 name ? name : "(unnamed tag)", type);
        return;
    }
    if (!p->key) {
        snprintf(buf, size, "0x%04X (unresolved named id) %s", p->id, type);
        return;
    }
    const char *set = cck_guid_set_name(&p->key->guid);
    if (!set)
        set = cck_guid_fmt(&p->key->guid, gbuf);
    if (p->key->is_name) {
        snprintf(buf, size, "0x%04X %s/\"%s\" %s", p->id, set, p->key->name, type);
    } else {
        const char *name = cck_lid_name(&p->key->guid, p->key->lid);
        snprintf(buf, size, "0x%04X %s/0x%04" PRIX32 " %s %s", p->id, set, p->key->lid,
                 name ? name : "(unnamed)", type);
    }
}

static void emit_prop_value(dumper *d, const char *key, const cck_prop *p)
{
    if (p->type & CCK_PT_MV) {
        cck_emit_begin_arr(d->e, key);
        for (size_t i = 0; i < p->count; i++)
            emit_value(d, NULL, &p->mv[i], p->type & ~CCK_PT_MV);
        cck_emit_end_arr(d->e);
    } else {
        emit_value(d, key, p, p->type);
    }
}

/* Text: one "label: value" line per property, the decoded form below it.
 * JSON: one object per property with its identity spelled out. */
static void emit_props(dumper *d, const cck_props *ps)
{
    bool json = cck_emit_fmt(d->e) == CCK_EMIT_JSON;
    char label[256], gbuf[CCK_GUID_BUF];
    if (json)
        cck_emit_begin_arr(d->e, "properties");
    else
        cck_emit_begin_obj(d->e, "properties");
    for (size_t i = 0; i < ps->n; i++) {
        const cck_prop *p = &ps->v[i];
        cck_blob_kind kind = decoder_for(p);
        if (!json) {
            prop_label(p, label, sizeof label);
            emit_prop_value(d, label, p);
            if (kind != CCK_BLOB_NONE)
                decode_blob(d, kind, p->bin, p->binlen, blob_title(kind));
            continue;
        }
        cck_emit_begin_obj(d->e, NULL);
        if (p->id < 0x8000) {
            char tag[16];
            snprintf(tag, sizeof tag, "0x%08" PRIX32, CCK_TAG(p->id, p->type));
            cck_emit_str(d->e, "tag", tag);
            cck_emit_str(d->e, "name", cck_tag_name(p->id));
        } else {
            char id[8];
            snprintf(id, sizeof id, "0x%04X", p->id);
            cck_emit_str(d->e, "id", id);
            if (p->key) {
                cck_emit_str(d->e, "guid", cck_guid_fmt(&p->key->guid, gbuf));
                cck_emit_str(d->e, "set", cck_guid_set_name(&p->key->guid));
                if (p->key->is_name) {
                    cck_emit_str(d->e, "propname", p->key->name);
                } else {
                    cck_emit_uint(d->e, "lid", p->key->lid);
                    cck_emit_str(d->e, "name", cck_lid_name(&p->key->guid, p->key->lid));
                }
            }
        }
        const char *type = cck_pt_name(p->type);
        if (type)
            cck_emit_str(d->e, "type", type);
        else
            cck_emit_uint(d->e, "type", p->type);
        emit_prop_value(d, "value", p);
        if (kind != CCK_BLOB_NONE)
            decode_blob(d, kind, p->bin, p->binlen, blob_title(kind));
        cck_emit_end_obj(d->e);
    }
    if (json)
        cck_emit_end_arr(d->e);
    else
        cck_emit_end_obj(d->e);
}

static void emit_msg(dumper *d, const cck_msg *m, const char *key)
{
    cck_emit_begin_obj(d->e, key);
    emit_problems(d, cck_msg_problems(m));
    emit_props(d, cck_msg_props(m));
    cck_emit_begin_arr(d->e, "recipients");
    for (size_t i = 0; i < cck_msg_nrecips(m); i++) {
        cck_emit_begin_obj(d->e, NULL);
        emit_props(d, cck_msg_recip(m, i));
        cck_emit_end_obj(d->e);
    }
    cck_emit_end_arr(d->e);
    cck_emit_begin_arr(d->e, "attachments");
    for (size_t i = 0; i < cck_msg_nattachs(m); i++) {
        cck_emit_begin_obj(d->e, NULL);
        emit_props(d, cck_msg_attach(m, i));
        const cck_msg *sub = cck_msg_attach_msg(m, i);
        if (sub)
            emit_msg(d, sub, "embedded");
        cck_emit_end_obj(d->e);
    }
    cck_emit_end_arr(d->e);
    cck_emit_end_obj(d->e);
}

static void emit_named_map(dumper *d, const cck_msg *m)
{
    char gbuf[CCK_GUID_BUF], id[8];
    cck_emit_begin_arr(d->e, "named_properties");
    for (size_t i = 0; i < cck_msg_nnamed(m); i++) {
        const cck_propkey *k = cck_msg_named(m, i);
        if (!k)
            continue;
        cck_emit_begin_obj(d->e, NULL);
        snprintf(id, sizeof id, "0x%04zX", 0x8000 + i);
        cck_emit_str(d->e, "id", id);
        cck_emit_str(d->e, "guid", cck_guid_fmt(&k->guid, gbuf));
        if (k->is_name)
            cck_emit_str(d->e, "propname", k->name);
        else
            cck_emit_uint(d->e, "lid", k->lid);
        cck_emit_end_obj(d->e);
    }
    cck_emit_end_arr(d->e);
}

/* A --blob file holds either the raw bytes or their hex text; hex wins when
 * the whole file is hex digits and white space. */
static int dump_blob(dumper *d, const char *path, const cck_file *f, cck_blob_kind kind)
{
    const uint8_t *p = f->data;
    size_t n = f->len;
    const char *encoding = "binary";
    uint8_t *hex = malloc(f->len / 2 + 1);
    if (!hex) {
        fprintf(stderr, "calcheck: %s: out of memory\n", path);
        return 2;
    }
    long hn = cck_hex_decode(f->data, f->len, hex);
    if (hn > 0) {
        p = hex;
        n = (size_t)hn;
        encoding = "hex";
    }
    cck_emit_begin_obj(d->e, NULL);
    cck_emit_str(d->e, "file", path);
    cck_emit_str(d->e, "encoding", encoding);
    cck_emit_uint(d->e, "size", n);
    decode_blob(d, kind, p, n, blob_title(kind));
    cck_emit_end_obj(d->e);
    free(hex);
    return 0;
}

int cck_dump_file(const char *path, const cck_dump_opts *o, FILE *out)
{
    cck_file f;
    const char *why = NULL;
    if (cck_file_read(path, CCK_FILE_MAX, &f, &why) != 0) {
        fprintf(stderr, "calcheck: %s: %s\n", path, why);
        return 2;
    }
    if (f.len == 0) {
        fprintf(stderr, "calcheck: %s: empty file, nothing to decode\n", path);
        cck_file_release(&f);
        return 2;
    }
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    if (!a) {
        fprintf(stderr, "calcheck: %s: out of memory\n", path);
        cck_file_release(&f);
        return 2;
    }
    int rc = 0;
    cck_msg *m = NULL;
    if (o->blob == CCK_BLOB_NONE) {
        cck_msg_status st = cck_msg_open(f.data, f.len, a, &m, &why);
        if (st != CCK_MSG_OK) {
            /* "not an Outlook .msg file: not a compound file: too short ..." */
            const char *lead = st == CCK_MSG_NOMEM ? "" : "not an Outlook .msg file: ";
            fprintf(stderr, "calcheck: %s: %s%s%s%s\n", path, lead, cck_msg_status_text(st),
                    why ? ": " : "", why ? why : "");
            rc = 2;
            goto done;
        }
    }
    cck_emit *e = cck_emit_new(out, o->json ? CCK_EMIT_JSON : CCK_EMIT_TEXT);
    if (!e) {
        fprintf(stderr, "calcheck: %s: out of memory\n", path);
        rc = 2;
        goto done;
    }
    dumper d = {e, a, 0};
    if (m) {
        cck_emit_begin_obj(e, NULL);
        cck_emit_str(e, "file", path);
        if (o->json) /* the map is for tools; text shows each name on its property */
            emit_named_map(&d, m);
        emit_msg(&d, m, "message");
        cck_emit_end_obj(e);
    } else {
        rc = dump_blob(&d, path, &f, o->blob);
    }
    if (cck_emit_finish(e) != 0) {
        fprintf(stderr, "calcheck: %s: cannot write the output\n", path);
        rc = 2;
    } else if (rc == 0 && d.problems) {
        rc = 1;
    }
done:
    cck_arena_free(a);
    cck_file_release(&f);
    return rc;
}

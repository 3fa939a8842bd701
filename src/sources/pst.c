/* pst.c - PST/OST calendar source: libpff reads the file ([MS-PST] node and
 * block B-trees, heap-on-node property contexts, table contexts); this
 * adapter finds the calendar folders ([MS-OXOSFLD] container class and IPM
 * appointment entry id), and turns each message into a cck_msg: property
 * values per [MS-PST] 2.3.3.4, named ids through the name-to-id map (GUID +
 * LID/name), recipients, attachments and embedded exceptions ([MS-OXOCAL]).
 */
#include "pst.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpff.h>

#include "../util/cursor.h"
#include "../util/lazylib.h"

/* Our property ids for the folder walk and mailbox facts ([MS-OXPROPS]). */
#define PID_CONTAINER_CLASS       0x3613
#define PID_IPM_APPOINTMENT_ENTRY 0x36D0
#define PID_IPM_SENTMAIL_ENTRY    0x35E4
#define PID_SOURCE_KEY            0x65E0
#define PID_LTID                  0x67F4 /* OST folders: replica id + global counter */
#define PID_MAILBOX_OWNER_NAME    0x661C
#define PID_SENT_REPR_SMTP        0x5D02
#define PID_SENDER_SMTP           0x5D01
#define PID_ATTACH_DATA_BIN       0x3701
#define PID_FREEBUSY_ENTRYIDS     0x36E4 /* root and Inbox: [1] the delegate information object */
/* The local free/busy message ([MS-OXODLGT] 2.2.2.2, [MS-OXOCAL]). */
#define PID_DELEGATE_NAMES    0x6844
#define PID_DELEGATE_ENTRYIDS 0x6845
#define PID_FREEBUSY_MONTHS   0x6869
#define PID_DELEGATE_FLAGS    0x686B
#define PID_AUTO_ACCEPT       0x686D
#define PID_DECLINE_RECURRING 0x686E
#define PID_DECLINE_CONFLICTS 0x686F
#define CCK_PST_FREEBUSY_SCAN 16 /* messages of "Freebusy Data" looked at */
#define CCK_PST_NOID          0xFFFFFFFFu

typedef struct pst_folder {
    cck_pst_calendar cal;
    libpff_item_t *item;
} pst_folder;

/* Identity of every walked folder, to resolve entry ids afterwards. */
typedef struct folder_id {
    uint32_t nid;
    uint8_t sk[22]; /* PidTagSourceKey, or the 8-byte LTID */
    size_t sklen;
} folder_id;

struct cck_pst {
    libpff_file_t *file;
    cck_arena *arena;   /* strings and tables that live as long as the file */
    cck_arena *scratch; /* one folder's or sent item's properties at a time */
    unsigned ascii_cp;
    pst_folder *cal;
    size_t ncal, capcal;
    folder_id *ids;
    size_t nids, capids;
    const uint8_t *appt_eid, *sent_eid; /* entry ids found during the walk */
    size_t appt_eidlen, sent_eidlen;
    uint32_t sent_nid;     /* a folder named "Sent Items" (OSTs have no sent-mail entry id) */
    uint32_t fb_nid;       /* a folder named "Freebusy Data" near the root */
    const uint8_t *fb_eid; /* PidTagFreeBusyEntryIds[1]: the delegate information object */
    size_t fb_eidlen;
    cck_pst_mailbox mb;
    const char **addrs;

    /* Iteration. */
    size_t fi;
    size_t mi;
    const cck_pst_calendar *cur;
    uint32_t cur_nid;
};

static char open_why[512];

/* The last line of a libpff error chain ("what: reason"), in a, or in buf. */
static const char *err_text(libpff_error_t **e, char *buf, size_t size)
{
    buf[0] = 0;
    if (e && *e) {
        char tmp[2048];
        tmp[0] = 0;
        libpff_error_sprint(*e, tmp, sizeof tmp);
        libpff_error_free(e);
        /* Keep the last non-empty line: the outermost message. */
        char *line = tmp, *p;
        while ((p = strchr(line, '\n')) != NULL) {
            if (p[1] == 0) {
                *p = 0;
                break;
            }
            line = p + 1;
        }
        snprintf(buf, size, "%s", line);
    }
    if (!buf[0])
        snprintf(buf, size, "libpff error");
    return buf;
}

static const char *aerr(cck_arena *a, libpff_error_t **e, const char *what)
{
    char buf[512];
    const char *t = err_text(e, buf, sizeof buf);
    const char *s = cck_arena_printf(a, "%s: %s", what, t);
    return s ? s : what;
}

/* ---- values ---------------------------------------------------------- */

static size_t fixed_size(uint16_t t)
{
    /* [MS-PST] 2.3.3.4 stores a boolean in 1 byte and PT_ERROR in 4; the
     * other fixed sizes are those of multi-valued elements. */
    if (t == CCK_PT_BOOLEAN)
        return 1;
    if (t == CCK_PT_ERROR)
        return 4;
    return cck_pt_mv_elem_size(t);
}

static int decode_string(cck_arena *a, uint16_t t, const uint8_t *b, size_t n, unsigned cp,
                         cck_prop *p, cck_problems *pr)
{
    int r;
    if (t == CCK_PT_UNICODE) {
        if (n >= 2 && n % 2 == 0 && b[n - 1] == 0 && b[n - 2] == 0)
            n -= 2;
        r = cck_utf16le_to_utf8(a, b, n, &p->str);
    } else {
        if (n >= 1 && b[n - 1] == 0)
            n--;
        r = cck_cp_to_utf8(a, cp, b, n, &p->str);
    }
    if (r < 0)
        return -1;
    if (p->str.bad)
        cck_problems_add(pr, CCK_SEV_WARNING, "pst.bad_text", 0,
                         "property 0x%04X has %zu code units that are not valid %s; replaced "
                         "with U+FFFD",
                         p->id, p->str.bad, t == CCK_PT_UNICODE ? "UTF-16" : "text");
    return 0;
}

/* Multi-valued ([MS-PST] 2.3.3.4.2): fixed-size elements back to back, or
 * a count, a table of offsets and the elements. */
static int decode_mv(cck_arena *a, uint16_t elem, const uint8_t *b, size_t n, unsigned cp,
                     cck_prop *p, cck_problems *pr)
{
    size_t fsz = fixed_size(elem);
    bool var = elem == CCK_PT_STRING8 || elem == CCK_PT_UNICODE || elem == CCK_PT_BINARY;
    if (elem == CCK_PT_BOOLEAN || (!fsz && !var)) {
        cck_problems_add(pr, CCK_SEV_WARNING, "pst.unknown_type", 0,
                         "property 0x%04X has multi-valued type 0x%04X calcheck does not "
                         "decode; kept raw",
                         p->id, (unsigned)(elem | CCK_PT_MV));
        return 0;
    }
    size_t count;
    cck_cur c;
    cck_cur_init(&c, b, n);
    if (fsz) {
        count = n / fsz;
        if (n % fsz)
            cck_problems_add(pr, CCK_SEV_WARNING, "pst.mv_size", 0,
                             "multi-valued property 0x%04X has %zu bytes, not a multiple of %zu",
                             p->id, n, fsz);
    } else {
        count = n ? cck_cur_u32(&c) : 0;
        if (count > (n - (n >= 4 ? 4 : n)) / 4) {
            cck_problems_add(pr, CCK_SEV_ERROR, "pst.mv_size", 0,
                             "multi-valued property 0x%04X claims %zu values in %zu bytes", p->id,
                             count, n);
            count = (n >= 4 ? n - 4 : 0) / 4;
        }
    }
    if (count > CCK_MSG_MAX_MV) {
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.limit", 0,
                         "multi-valued property 0x%04X has %zu values, more than the limit %d",
                         p->id, count, CCK_MSG_MAX_MV);
        count = CCK_MSG_MAX_MV;
    }
    cck_prop *v = cck_arena_calloc(a, count ? count : 1, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < count; i++) {
        v[i].id = p->id;
        v[i].type = elem;
        v[i].flags = p->flags;
        v[i].key = p->key;
        if (fsz) {
            const uint8_t *e = b + i * fsz;
            if (elem == CCK_PT_CLSID) {
                v[i].bin = e;
                v[i].binlen = 16;
            } else {
                cck_prop_set_fixed(&v[i], elem, e);
            }
            continue;
        }
        uint32_t off = cck_le32(b + 4 + i * 4);
        uint32_t end = i + 1 < count ? cck_le32(b + 8 + i * 4) : (uint32_t)n;
        uint64_t lo = 4 + (uint64_t)count * 4;
        if (off < lo || off > end || end > n) {
            cck_problems_add(pr, CCK_SEV_ERROR, "pst.mv_offset", 4 + i * 4,
                             "value %zu of multi-valued property 0x%04X lies outside the value "
                             "(offset %u, end %u, size %zu)",
                             i, p->id, off, end, n);
            v[i].bin = b;
            v[i].binlen = 0;
            v[i].str.s = "";
            continue;
        }
        v[i].bin = b + off;
        v[i].binlen = end - off;
        if (elem != CCK_PT_BINARY && decode_string(a, elem, b + off, end - off, cp, &v[i], pr) < 0)
            return -1;
    }
    p->count = count;
    p->mv = v;
    return 0;
}

int cck_pst_decode_value(cck_arena *a, uint16_t type, const uint8_t *b, size_t n, unsigned cp,
                         cck_prop *p, cck_problems *pr)
{
    p->type = type;
    p->bin = b;
    p->binlen = n;
    if (type & CCK_PT_MV)
        return decode_mv(a, (uint16_t)(type & ~CCK_PT_MV), b, n, cp, p, pr);
    if (type == CCK_PT_UNICODE || type == CCK_PT_STRING8)
        return decode_string(a, type, b, n, cp, p, pr);
    size_t fsz = fixed_size(type);
    if (!fsz || type == CCK_PT_CLSID) {
        if (type == CCK_PT_CLSID && n != 16)
            cck_problems_add(pr, CCK_SEV_WARNING, "pst.value_size", 0,
                             "GUID property 0x%04X has %zu bytes, expected 16", p->id, n);
        return 0;
    }
    uint8_t buf[8] = {0};
    memcpy(buf, b, n < 8 ? n : 8);
    if (n < fsz)
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.value_size", 0,
                         "property 0x%04X of type %s has %zu bytes, expected %zu", p->id,
                         cck_pt_name(type) ? cck_pt_name(type) : "?", n, fsz);
    cck_prop_set_fixed(p, type, buf);
    return 0;
}

bool cck_pst_entryid_names(const uint8_t *eid, size_t n, uint32_t nid, const uint8_t *sk,
                           size_t sklen)
{
    if (!eid)
        return false;
    if (n == 24)
        return cck_le32(eid + 20) == nid;
    /* [MS-OXCDATA] 2.2.4.1 Folder EntryID: flags 4, provider 16, folder type 2,
     * database GUID 16, global counter 6, pad 2. */
    if (n != 46 || !sk)
        return false;
    if (sklen == 22) /* source key: database GUID + global counter */
        return memcmp(eid + 22, sk, 22) == 0;
    if (sklen == 8) /* LTID: replica id 2 + global counter 6 */
        return memcmp(eid + 38, sk + 2, 6) == 0;
    return false;
}

/* ---- record sets to property lists ----------------------------------- */

typedef struct rawent {
    cck_prop *p;
    const uint8_t *data;
    size_t len;
} rawent;

static void add_problem_err(cck_problems *pr, cck_severity sev, const char *code,
                            libpff_error_t **e, const char *what)
{
    char buf[512];
    const char *t = err_text(e, buf, sizeof buf);
    cck_problems_add(pr, sev, code, 0, "%s: %s", what, t);
}

/* The (GUID, LID or name) of a named entry, or NULL with a problem. */
static const cck_propkey *named_key(cck_arena *a, libpff_record_entry_t *re, uint16_t id,
                                    cck_problems *pr, bool *nomem)
{
    libpff_error_t *e = NULL;
    libpff_name_to_id_map_entry_t *ne = NULL;
    int r = libpff_record_entry_get_name_to_id_map_entry(re, &ne, &e);
    if (r != 1 || !ne) {
        if (r < 0)
            add_problem_err(pr, CCK_SEV_ERROR, "pst.named", &e, "name-to-id map entry");
        else /* a WARNING, like the .msg reader's msg.named_unresolved: the two
                readers must judge the same damage alike, so -F copies re-check
                to the same findings */
            cck_problems_add(pr, CCK_SEV_WARNING, "pst.named", 0,
                             "named property 0x%04X is not in the file's name-to-id map", id);
        return NULL;
    }
    cck_propkey *k = cck_arena_calloc(a, 1, sizeof *k);
    if (!k) {
        *nomem = true;
        return NULL;
    }
    uint8_t kind = 0;
    if (libpff_name_to_id_map_entry_get_type(ne, &kind, &e) != 1 ||
        libpff_name_to_id_map_entry_get_guid(ne, k->guid.b, 16, &e) != 1) {
        add_problem_err(pr, CCK_SEV_ERROR, "pst.named", &e, "name-to-id map entry");
        return NULL;
    }
    if (kind == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC) {
        if (libpff_name_to_id_map_entry_get_number(ne, &k->lid, &e) != 1) {
            add_problem_err(pr, CCK_SEV_ERROR, "pst.named", &e, "name-to-id map number");
            return NULL;
        }
        return k;
    }
    size_t sz = 0;
    if (libpff_name_to_id_map_entry_get_utf8_string_size(ne, &sz, &e) != 1 || sz == 0 ||
        sz > 65536) {
        add_problem_err(pr, CCK_SEV_ERROR, "pst.named", &e, "name-to-id map name");
        return NULL;
    }
    char *s = cck_arena_alloc(a, sz + 1);
    if (!s) {
        *nomem = true;
        return NULL;
    }
    if (libpff_name_to_id_map_entry_get_utf8_string(ne, (uint8_t *)s, sz, &e) != 1) {
        add_problem_err(pr, CCK_SEV_ERROR, "pst.named", &e, "name-to-id map name");
        return NULL;
    }
    s[sz] = 0;
    k->is_name = true;
    k->name = s;
    return k;
}

static unsigned codepage_in(const cck_prop *v, size_t n, unsigned inherited)
{
    static const uint16_t ids[] = {CCK_PID_MESSAGE_CODEPAGE, CCK_PID_INTERNET_CODEPAGE};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < n; i++)
            if (v[i].id == ids[k] && v[i].type == CCK_PT_LONG && v[i].v.i > 0 && v[i].v.i < 0x10000)
                return (unsigned)v[i].v.i;
    return inherited;
}

/* [MS-PST] 2.5.3.1.1.1: a stored subject may start with U+0001 and one
 * character giving the length of its prefix ("RE: "); the subject is the
 * text after those two. bin keeps the stored bytes. */
static void strip_subject_marker(cck_prop *q)
{
    if ((q->type != CCK_PT_UNICODE && q->type != CCK_PT_STRING8) || !q->str.s || q->str.len < 2 ||
        q->str.s[0] != 0x01)
        return;
    size_t skip = 1 + cck_utf8_seq_len((const uint8_t *)q->str.s + 1, q->str.len - 1);
    if (skip < 2 || skip > q->str.len)
        return;
    q->str.s += skip;
    q->str.len -= skip;
}

/* Reads every entry of record set rs into an arena array. `what` names the
 * record set in problems. *cp is the inherited code page on entry and the
 * set's own (if it has one) on return. Returns 0, or -1 when the arena is
 * exhausted. */
static int read_record_set(cck_pst *p, cck_arena *a, libpff_record_set_t *rs, bool attach,
                           unsigned *cp, cck_problems *pr, cck_prop **out, size_t *nout)
{
    libpff_error_t *e = NULL;
    int ne = 0;
    *out = NULL;
    *nout = 0;
    if (libpff_record_set_get_number_of_entries(rs, &ne, &e) != 1 || ne < 0) {
        add_problem_err(pr, CCK_SEV_ERROR, "pst.record", &e, "number of properties");
        return 0;
    }
    if (ne > CCK_PST_MAX_PROPS) {
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.limit", 0,
                         "%d properties, more than the limit %d; reading %d", ne, CCK_PST_MAX_PROPS,
                         CCK_PST_MAX_PROPS);
        ne = CCK_PST_MAX_PROPS;
    }
    cck_prop *v = cck_arena_calloc(a, ne ? (size_t)ne : 1, sizeof *v);
    rawent *raw = cck_arena_calloc(a, ne ? (size_t)ne : 1, sizeof *raw);
    if (!v || !raw)
        return -1;
    size_t k = 0;
    bool nomem = false;
    for (int i = 0; i < ne && !nomem; i++) {
        libpff_record_entry_t *re = NULL;
        uint32_t et = 0, vt = 0;
        if (libpff_record_set_get_entry_by_index(rs, i, &re, &e) != 1 || !re) {
            add_problem_err(pr, CCK_SEV_ERROR, "pst.record", &e, "property entry");
            continue;
        }
        if (libpff_record_entry_get_entry_type(re, &et, &e) != 1 ||
            libpff_record_entry_get_value_type(re, &vt, &e) != 1) {
            add_problem_err(pr, CCK_SEV_ERROR, "pst.record", &e, "property type");
            libpff_record_entry_free(&re, NULL);
            continue;
        }
        cck_prop *q = &v[k];
        q->id = (uint16_t)et;
        q->type = (uint16_t)vt;
        if (q->id >= 0x8000)
            q->key = named_key(a, re, q->id, pr, &nomem);
        size_t sz = 0;
        if (libpff_record_entry_get_data_size(re, &sz, &e) != 1) {
            add_problem_err(pr, CCK_SEV_ERROR, "pst.value", &e, "property value size");
            libpff_record_entry_free(&re, NULL);
            continue;
        }
        const uint8_t *data = NULL;
        if (attach && q->id == PID_ATTACH_DATA_BIN && sz > CCK_PST_MAX_ATTACH_DATA) {
            cck_problems_add(pr, CCK_SEV_INFO, "pst.attach_data", 0,
                             "attachment data of %zu bytes not loaded (limit %u)", sz,
                             CCK_PST_MAX_ATTACH_DATA);
            sz = 0;
        } else if (sz > 0) {
            uint8_t *buf = cck_arena_alloc(a, sz);
            if (!buf) {
                nomem = true;
                libpff_record_entry_free(&re, NULL);
                break;
            }
            if (libpff_record_entry_get_data(re, buf, sz, &e) != 1) {
                char what[64];
                snprintf(what, sizeof what, "value of property 0x%04X", q->id);
                add_problem_err(pr, CCK_SEV_ERROR, "pst.value", &e, what);
                libpff_record_entry_free(&re, NULL);
                continue;
            }
            data = buf;
        }
        libpff_record_entry_free(&re, NULL);
        raw[k].p = q;
        raw[k].data = data ? data : (const uint8_t *)"";
        raw[k].len = data ? sz : 0;
        k++;
    }
    if (nomem)
        return -1;
    /* Fixed-size values first, so the code page is known for the strings. */
    for (size_t i = 0; i < k; i++)
        if (!(v[i].type & CCK_PT_MV) && fixed_size(v[i].type) && v[i].type != CCK_PT_CLSID &&
            cck_pst_decode_value(a, v[i].type, raw[i].data, raw[i].len, 0, &v[i], pr) < 0)
            return -1;
    *cp = codepage_in(v, k, *cp);
    for (size_t i = 0; i < k; i++)
        if (((v[i].type & CCK_PT_MV) || !fixed_size(v[i].type) || v[i].type == CCK_PT_CLSID) &&
            cck_pst_decode_value(a, v[i].type, raw[i].data, raw[i].len, *cp, &v[i], pr) < 0)
            return -1;
    for (size_t i = 0; i < k; i++)
        if (v[i].id == CCK_PID_SUBJECT)
            strip_subject_marker(&v[i]);
    (void)p;
    *out = v;
    *nout = k;
    return 0;
}

/* Properties of record set `index` of an item. Returns 0 (possibly with
 * problems and no properties; *damage set when the set could not be read),
 * or -1 when the arena is exhausted. */
static int read_item_set(cck_pst *p, cck_arena *a, libpff_item_t *it, int index, bool attach,
                         unsigned *cp, cck_problems *pr, cck_prop **v, size_t *n,
                         const char **damage)
{
    libpff_error_t *e = NULL;
    libpff_record_set_t *rs = NULL;
    *v = NULL;
    *n = 0;
    *damage = NULL;
    if (libpff_item_get_record_set_by_index(it, index, &rs, &e) != 1 || !rs) {
        *damage = aerr(a, &e, "record set unreadable");
        return 0;
    }
    int r = read_record_set(p, a, rs, attach, cp, pr, v, n);
    libpff_record_set_free(&rs, NULL);
    return r;
}

/* ---- messages --------------------------------------------------------- */

static int build_msg(cck_pst *p, cck_arena *a, libpff_item_t *it, int depth, unsigned cp,
                     cck_msg **out, const char **why);

static int add_recipients(cck_pst *p, cck_arena *a, libpff_item_t *it, unsigned cp, cck_msg *m)
{
    cck_problems *pr = cck_msg_problems_mut(m);
    libpff_error_t *e = NULL;
    libpff_item_t *ri = NULL;
    int r = libpff_message_get_recipients(it, &ri, &e);
    if (r == 0 || (r == 1 && !ri))
        return 0;
    if (r < 0) {
        add_problem_err(pr, CCK_SEV_ERROR, "pst.recipients", &e, "recipient table unreadable");
        return 0;
    }
    int ns = 0;
    int rc = 0;
    if (libpff_item_get_number_of_record_sets(ri, &ns, &e) != 1 || ns < 0) {
        add_problem_err(pr, CCK_SEV_ERROR, "pst.recipients", &e, "recipient table unreadable");
        ns = 0;
    }
    if (ns > CCK_MSG_MAX_RECIPS) {
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.limit", 0,
                         "%d recipients, more than the limit %d; reading %d", ns,
                         CCK_MSG_MAX_RECIPS, CCK_MSG_MAX_RECIPS);
        ns = CCK_MSG_MAX_RECIPS;
    }
    for (int i = 0; i < ns && rc == 0; i++) {
        cck_prop *v;
        size_t n;
        const char *damage;
        unsigned rcp = cp;
        if (read_item_set(p, a, ri, i, false, &rcp, pr, &v, &n, &damage) < 0 ||
            cck_msg_add_recip(m, v, n, damage) < 0)
            rc = -1;
        else if (damage)
            cck_problems_add(pr, CCK_SEV_ERROR, "pst.recipient", 0, "recipient %d: %s", i, damage);
    }
    libpff_item_free(&ri, NULL);
    return rc;
}

static int add_attachment(cck_pst *p, cck_arena *a, libpff_item_t *it, int i, int depth,
                          unsigned cp, cck_msg *m)
{
    cck_problems *pr = cck_msg_problems_mut(m);
    libpff_error_t *e = NULL;
    libpff_item_t *at = NULL;
    if (libpff_message_get_attachment(it, i, &at, &e) != 1 || !at) {
        const char *d = aerr(a, &e, "attachment unreadable");
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.attachment", 0, "attachment %d: %s", i, d);
        return cck_msg_add_attach(m, NULL, 0, NULL, d);
    }
    cck_prop *v;
    size_t n;
    const char *damage;
    unsigned acp = cp;
    int rc = read_item_set(p, a, at, 0, true, &acp, pr, &v, &n, &damage);
    cck_msg *sub = NULL;
    int type = 0;
    if (rc == 0 && !damage && libpff_attachment_get_type(at, &type, &e) != 1) {
        add_problem_err(pr, CCK_SEV_WARNING, "pst.attachment", &e, "attachment type");
        type = 0;
    }
    if (rc == 0 && !damage && type == LIBPFF_ATTACHMENT_TYPE_ITEM) {
        if (depth + 1 > CCK_MSG_MAX_DEPTH) {
            cck_problems_add(pr, CCK_SEV_ERROR, "pst.limit", 0,
                             "attachment %d: embedded messages nested deeper than %d; not read", i,
                             CCK_MSG_MAX_DEPTH);
        } else {
            libpff_item_t *em = NULL;
            int r = libpff_attachment_get_item(at, &em, &e);
            if (r == 1 && em) {
                const char *why = NULL;
                int b = build_msg(p, a, em, depth + 1, acp, &sub, &why);
                if (b == -2)
                    rc = -1;
                else if (b < 0)
                    damage =
                        cck_arena_printf(a, "embedded message unreadable: %s", why ? why : "?");
                libpff_item_free(&em, NULL);
            } else if (r < 0) {
                damage = aerr(a, &e, "embedded message unreadable");
            }
        }
    }
    if (damage)
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.attachment", 0, "attachment %d: %s", i, damage);
    libpff_item_free(&at, NULL);
    if (rc < 0)
        return -1;
    return cck_msg_add_attach(m, v, n, sub, damage);
}

/* Returns 0 with *out, -1 with *why when the message itself cannot be read,
 * -2 when the arena is exhausted. */
static int build_msg(cck_pst *p, cck_arena *a, libpff_item_t *it, int depth, unsigned cp,
                     cck_msg **out, const char **why)
{
    libpff_error_t *e = NULL;
    *out = NULL;
    cck_msg *m = cck_msg_new(a);
    if (!m)
        return -2;
    cck_problems *pr = cck_msg_problems_mut(m);
    int ns = 0;
    if (libpff_item_get_number_of_record_sets(it, &ns, &e) != 1) {
        *why = aerr(a, &e, "property context unreadable");
        return -1;
    }
    if (ns < 1) {
        *why = "message has no property context";
        return -1;
    }
    cck_prop *v;
    size_t n;
    const char *damage;
    if (read_item_set(p, a, it, 0, false, &cp, pr, &v, &n, &damage) < 0)
        return -2;
    if (damage) {
        *why = damage;
        return -1;
    }
    if (cck_msg_set_props(m, v, n) < 0 || add_recipients(p, a, it, cp, m) < 0)
        return -2;
    int na = 0;
    if (libpff_message_get_number_of_attachments(it, &na, &e) != 1 || na < 0) {
        const char *d = aerr(a, &e, "attachment table unreadable");
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.attachments", 0, "%s", d);
        na = 0;
    }
    if (na > CCK_MSG_MAX_ATTACHS) {
        cck_problems_add(pr, CCK_SEV_ERROR, "pst.limit", 0,
                         "%d attachments, more than the limit %d; reading %d", na,
                         CCK_MSG_MAX_ATTACHS, CCK_MSG_MAX_ATTACHS);
        na = CCK_MSG_MAX_ATTACHS;
    }
    for (int i = 0; i < na; i++)
        if (add_attachment(p, a, it, i, depth, cp, m) < 0)
            return -2;
    *out = m;
    return 0;
}

/* ---- folder walk ------------------------------------------------------ */

/* A property of a record set read with our own decoding, or NULL. */
static const cck_prop *find_prop(const cck_prop *v, size_t n, uint16_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return &v[i];
    return NULL;
}

static const char *str_prop(const cck_prop *v, size_t n, uint16_t id)
{
    const cck_prop *q = find_prop(v, n, id);
    if (q && (q->type == CCK_PT_UNICODE || q->type == CCK_PT_STRING8) && q->str.s && q->str.len)
        return q->str.s;
    return NULL;
}

/* Record set 0 of an item, problems dropped (folders, the store, sent items). */
static void item_props(cck_pst *p, cck_arena *a, libpff_item_t *it, cck_prop **v, size_t *n)
{
    cck_problems pr;
    cck_problems_init(&pr, a);
    const char *damage;
    unsigned cp = p->ascii_cp;
    if (read_item_set(p, a, it, 0, false, &cp, &pr, v, n, &damage) < 0 || damage) {
        *v = NULL;
        *n = 0;
    }
}

/* Keeps the first folder-walk failure; frees the libpff error either way. */
static void walk_fail(cck_pst *p, libpff_error_t **e, const char *what)
{
    if (!p->mb.walk_problem)
        p->mb.walk_problem = aerr(p->arena, e, what);
    else
        libpff_error_free(e);
}

/* Copies a binary property (an entry id) into the file's arena, once. */
static void keep_binary(cck_pst *p, const cck_prop *q, const uint8_t **dst, size_t *dlen)
{
    if (*dst || !q || q->type != CCK_PT_BINARY || !q->binlen)
        return;
    uint8_t *b = cck_arena_alloc(p->arena, q->binlen);
    if (!b)
        return;
    memcpy(b, q->bin, q->binlen);
    *dst = b;
    *dlen = q->binlen;
}

/* Walks folder f (path: its parent's path), reading its properties into the
 * scratch arena and keeping what lasts (path, class, ids) in the file's. */
static void walk(cck_pst *p, libpff_item_t *f, const char *parent, int depth)
{
    libpff_error_t *e = NULL;
    cck_prop *v;
    size_t n;
    if (p->mb.n_folders >= CCK_PST_MAX_FOLDERS) {
        if (!p->mb.walk_problem)
            p->mb.walk_problem = cck_arena_printf(p->arena, "more than %d folders; rest skipped",
                                                  CCK_PST_MAX_FOLDERS);
        return;
    }
    p->mb.n_folders++;
    cck_arena_reset(p->scratch);
    item_props(p, p->scratch, f, &v, &n);
    const char *path = "";
    if (depth > 0) {
        const char *name = str_prop(v, n, CCK_PID_DISPLAY_NAME);
        if (!name)
            name = "(no name)";
        path = *parent ? cck_arena_printf(p->arena, "%s/%s", parent, name)
                       : cck_arena_strndup(p->arena, name, strlen(name));
        if (!path)
            path = "(out of memory)";
    }
    uint32_t nid = CCK_PST_NOID;
    if (libpff_item_get_identifier(f, &nid, &e) != 1) {
        libpff_error_free(&e);
        nid = CCK_PST_NOID;
    }
    /* Identity for entry-id matching. */
    if (p->nids == p->capids) {
        size_t nc = p->capids ? p->capids * 2 : 64;
        folder_id *ni = realloc(p->ids, nc * sizeof *ni);
        if (ni) {
            p->ids = ni;
            p->capids = nc;
        }
    }
    if (p->nids < p->capids) {
        folder_id *fid = &p->ids[p->nids++];
        memset(fid, 0, sizeof *fid);
        fid->nid = nid;
        const cck_prop *sk = find_prop(v, n, PID_SOURCE_KEY);
        const cck_prop *lt = find_prop(v, n, PID_LTID);
        if (sk && sk->type == CCK_PT_BINARY && sk->binlen == 22) {
            memcpy(fid->sk, sk->bin, 22);
            fid->sklen = 22;
        } else if (lt && lt->type == CCK_PT_I8 && lt->binlen == 8) {
            memcpy(fid->sk, lt->bin, 8);
            fid->sklen = 8;
        }
    }
    if (depth <= 3) /* root, IPM subtree, Inbox (one level deeper in an OST) */
        keep_binary(p, find_prop(v, n, PID_IPM_APPOINTMENT_ENTRY), &p->appt_eid, &p->appt_eidlen);
    const char *cls = str_prop(v, n, PID_CONTAINER_CLASS);
    const char *own = str_prop(v, n, CCK_PID_DISPLAY_NAME);
    if (depth <= 3 && p->sent_nid == CCK_PST_NOID && own && strcmp(own, "Sent Items") == 0)
        p->sent_nid = nid;
    if (depth >= 1 && depth <= 2 && p->fb_nid == CCK_PST_NOID && own &&
        strcasecmp(own, "Freebusy Data") == 0)
        p->fb_nid = nid;
    if (depth <= 3 && !p->fb_eid) {
        const cck_prop *fe = find_prop(v, n, PID_FREEBUSY_ENTRYIDS);
        if (fe && fe->type == (CCK_PT_MV | CCK_PT_BINARY) && fe->count >= 2)
            keep_binary(p, &fe->mv[1], &p->fb_eid, &p->fb_eidlen);
    }
    if (depth > 0 && cls && cck_starts_ci(cls, "IPF.Appointment")) {
        if (p->ncal == p->capcal) {
            size_t nc = p->capcal ? p->capcal * 2 : 8;
            pst_folder *c = realloc(p->cal, nc * sizeof *c);
            if (!c)
                goto children;
            p->cal = c;
            p->capcal = nc;
        }
        libpff_item_t *copy = NULL;
        if (libpff_item_clone(&copy, f, &e) != 1 || !copy) {
            walk_fail(p, &e, path);
            goto children;
        }
        int nm = 0;
        if (libpff_folder_get_number_of_sub_messages(copy, &nm, &e) != 1 || nm < 0) {
            walk_fail(p, &e, path);
            nm = 0;
        }
        pst_folder *c = &p->cal[p->ncal++];
        memset(c, 0, sizeof *c);
        c->item = copy;
        c->cal.path = path;
        c->cal.container_class = cck_arena_strndup(p->arena, cls, strlen(cls));
        c->cal.nid = nid;
        c->cal.n_items = (size_t)nm;
        p->mb.n_items += (size_t)nm;
    }
children:
    if (depth >= CCK_PST_MAX_FOLDER_DEPTH) {
        if (!p->mb.walk_problem)
            p->mb.walk_problem = cck_arena_printf(p->arena, "%s: folders nested deeper than %d",
                                                  path, CCK_PST_MAX_FOLDER_DEPTH);
        return;
    }
    int nf = 0;
    if (libpff_folder_get_number_of_sub_folders(f, &nf, &e) != 1) {
        walk_fail(p, &e, *path ? path : "root folder");
        return;
    }
    for (int i = 0; i < nf; i++) {
        libpff_item_t *sub = NULL;
        if (libpff_folder_get_sub_folder(f, i, &sub, &e) != 1 || !sub) {
            walk_fail(p, &e, *path ? path : "root folder");
            libpff_error_free(&e);
            continue;
        }
        walk(p, sub, path, depth + 1);
        libpff_item_free(&sub, NULL);
    }
}

static bool eid_matches(const cck_pst *p, const uint8_t *eid, size_t len, uint32_t nid)
{
    for (size_t i = 0; i < p->nids; i++)
        if (p->ids[i].nid == nid)
            return cck_pst_entryid_names(eid, len, nid, p->ids[i].sklen ? p->ids[i].sk : NULL,
                                         p->ids[i].sklen);
    return cck_pst_entryid_names(eid, len, nid, NULL, 0);
}

/* The node id the entry id names among the walked folders, or NOID. */
static uint32_t eid_folder(const cck_pst *p, const uint8_t *eid, size_t len)
{
    for (size_t i = 0; i < p->nids; i++)
        if (cck_pst_entryid_names(eid, len, p->ids[i].nid, p->ids[i].sklen ? p->ids[i].sk : NULL,
                                  p->ids[i].sklen))
            return p->ids[i].nid;
    return CCK_PST_NOID;
}

static void add_address(cck_pst *p, const char *s)
{
    if (!s || !*s || p->mb.n_owner_addresses >= CCK_PST_MAX_ADDRESSES)
        return;
    for (size_t i = 0; i < p->mb.n_owner_addresses; i++)
        if (strcasecmp(p->addrs[i], s) == 0)
            return;
    char *c = cck_arena_strndup(p->arena, s, strlen(s));
    if (c)
        p->addrs[p->mb.n_owner_addresses++] = c;
}

/* Owner name and addresses from the store and the first sent items. */
static void mailbox_facts(cck_pst *p)
{
    libpff_error_t *e = NULL;
    libpff_item_t *store = NULL;
    p->addrs = cck_arena_calloc(p->arena, CCK_PST_MAX_ADDRESSES, sizeof *p->addrs);
    p->mb.owner_addresses = p->addrs;
    if (!p->addrs)
        return;
    if (libpff_file_get_message_store(p->file, &store, &e) == 1 && store) {
        cck_prop *v;
        size_t n;
        item_props(p, p->arena, store, &v, &n);
        p->mb.store_name = str_prop(v, n, CCK_PID_DISPLAY_NAME);
        p->mb.owner = str_prop(v, n, PID_MAILBOX_OWNER_NAME);
        keep_binary(p, find_prop(v, n, PID_IPM_SENTMAIL_ENTRY), &p->sent_eid, &p->sent_eidlen);
        libpff_item_free(&store, NULL);
    } else {
        libpff_error_free(&e);
    }
}

static void sent_items(cck_pst *p)
{
    libpff_error_t *e = NULL;
    if (!p->addrs)
        return;
    uint32_t nid = !p->sent_eid ? CCK_PST_NOID : eid_folder(p, p->sent_eid, p->sent_eidlen);
    if (nid == CCK_PST_NOID)
        nid = p->sent_nid;
    libpff_item_t *f = NULL;
    if (nid == CCK_PST_NOID || libpff_file_get_item_by_identifier(p->file, nid, &f, &e) != 1 ||
        !f) {
        libpff_error_free(&e);
        return;
    }
    int nm = 0;
    if (libpff_folder_get_number_of_sub_messages(f, &nm, &e) != 1)
        libpff_error_free(&e);
    for (int i = 0; i < nm && i < CCK_PST_SENT_SCAN; i++) {
        libpff_item_t *m = NULL;
        if (libpff_folder_get_sub_message(f, i, &m, &e) != 1 || !m) {
            libpff_error_free(&e);
            continue;
        }
        cck_prop *v;
        size_t n;
        cck_arena_reset(p->scratch);
        item_props(p, p->scratch, m, &v, &n);
        const char *owner = str_prop(v, n, CCK_PID_SENT_REPRESENTING_NAME);
        if (!p->mb.owner && owner)
            p->mb.owner = cck_arena_strndup(p->arena, owner, strlen(owner));
        add_address(p, str_prop(v, n, CCK_PID_SENT_REPRESENTING_EMAIL));
        add_address(p, str_prop(v, n, PID_SENT_REPR_SMTP));
        add_address(p, str_prop(v, n, CCK_PID_SENDER_EMAIL));
        add_address(p, str_prop(v, n, PID_SENDER_SMTP));
        libpff_item_free(&m, NULL);
    }
    libpff_item_free(&f, NULL);
}

bool cck_freebusy_class(const char *cls)
{
    return cls && strcasecmp(cls, "IPM.Microsoft.ScheduleData.FreeBusy") == 0;
}

static void fb_int(const cck_prop *q, cck_fint *f)
{
    if (!q)
        return;
    f->has = q->type == CCK_PT_LONG || q->type == CCK_PT_I2 ? CCK_PRESENT : CCK_BADTYPE;
    f->v = f->has == CCK_PRESENT ? q->v.i : 0;
}

static void fb_bool(const cck_prop *q, cck_fbool *f)
{
    if (!q)
        return;
    f->has = q->type == CCK_PT_BOOLEAN ? CCK_PRESENT : CCK_BADTYPE;
    f->v = f->has == CCK_PRESENT && q->v.i != 0;
}

int cck_freebusy_read(const cck_prop *v, size_t n, cck_arena *a, cck_freebusy *fb)
{
    fb->found = true;
    fb_int(find_prop(v, n, PID_FREEBUSY_MONTHS), &fb->months);
    fb_bool(find_prop(v, n, PID_AUTO_ACCEPT), &fb->auto_accept);
    fb_bool(find_prop(v, n, PID_DECLINE_RECURRING), &fb->decline_recurring);
    fb_bool(find_prop(v, n, PID_DECLINE_CONFLICTS), &fb->decline_conflicts);
    const cck_prop *q = find_prop(v, n, PID_DELEGATE_ENTRYIDS);
    if (q) {
        fb->has_entryids = q->type == (CCK_PT_MV | CCK_PT_BINARY) ? CCK_PRESENT : CCK_BADTYPE;
        fb->n_entryids = fb->has_entryids == CCK_PRESENT ? q->count : 0;
    }
    q = find_prop(v, n, PID_DELEGATE_FLAGS);
    if (q) {
        fb->has_flags = q->type == (CCK_PT_MV | CCK_PT_LONG) ? CCK_PRESENT : CCK_BADTYPE;
        if (fb->has_flags == CCK_PRESENT && q->count) {
            int64_t *fl = cck_arena_calloc(a, q->count, sizeof *fl);
            if (!fl)
                return -1;
            for (size_t i = 0; i < q->count; i++)
                fl[i] = q->mv[i].v.i;
            fb->delegate_flags = fl;
            fb->n_flags = q->count;
        }
    }
    q = find_prop(v, n, PID_DELEGATE_NAMES);
    if (q) {
        bool str =
            q->type == (CCK_PT_MV | CCK_PT_UNICODE) || q->type == (CCK_PT_MV | CCK_PT_STRING8);
        fb->has_names = str ? CCK_PRESENT : CCK_BADTYPE;
        if (str && q->count) {
            const char **nm = cck_arena_calloc(a, q->count, sizeof *nm);
            if (!nm)
                return -1;
            for (size_t i = 0; i < q->count; i++) {
                const char *e = q->mv[i].str.s ? q->mv[i].str.s : "";
                nm[i] = cck_arena_strndup(a, e, q->mv[i].str.s ? q->mv[i].str.len : 0);
                if (!nm[i])
                    return -1;
            }
            fb->delegate_names = nm;
            fb->n_names = q->count;
        }
    }
    return 0;
}

/* Reads message m if it is the local free/busy message; true when it was. */
static bool try_freebusy(cck_pst *p, libpff_item_t *m, const char *where)
{
    cck_prop *v;
    size_t n;
    cck_arena_reset(p->scratch);
    item_props(p, p->scratch, m, &v, &n);
    if (!cck_freebusy_class(str_prop(v, n, CCK_PID_MESSAGE_CLASS)))
        return false;
    cck_freebusy *fb = &p->mb.freebusy;
    memset(fb, 0, sizeof *fb);
    fb->where = where;
    if (cck_freebusy_read(v, n, p->arena, fb) != 0 && !p->mb.walk_problem)
        p->mb.walk_problem = "the local free/busy message is too large to keep";
    return true;
}

/* The local free/busy message: in "Freebusy Data", else by entry id. */
static void find_freebusy(cck_pst *p)
{
    libpff_error_t *e = NULL;
    libpff_item_t *f = NULL;
    if (p->fb_nid != CCK_PST_NOID &&
        libpff_file_get_item_by_identifier(p->file, p->fb_nid, &f, &e) == 1 && f) {
        int nm = 0;
        if (libpff_folder_get_number_of_sub_messages(f, &nm, &e) != 1) {
            libpff_error_free(&e);
            nm = 0;
        }
        for (int i = 0; i < nm && i < CCK_PST_FREEBUSY_SCAN && !p->mb.freebusy.found; i++) {
            libpff_item_t *m = NULL;
            uint32_t nid = 0;
            if (libpff_folder_get_sub_message(f, i, &m, &e) != 1 || !m) {
                libpff_error_free(&e);
                continue;
            }
            if (libpff_item_get_identifier(m, &nid, &e) != 1)
                libpff_error_free(&e);
            try_freebusy(p, m, cck_arena_printf(p->arena, "Freebusy Data #%u", (unsigned)nid));
            libpff_item_free(&m, NULL);
        }
        libpff_item_free(&f, NULL);
    } else {
        libpff_error_free(&e);
    }
    /* A PST entry id ([MS-PST] 2.2.2.3: flags, provider UID, NID) of a message. */
    if (p->mb.freebusy.found || !p->fb_eid || p->fb_eidlen != 24)
        return;
    uint32_t nid = (uint32_t)p->fb_eid[20] | (uint32_t)p->fb_eid[21] << 8 |
                   (uint32_t)p->fb_eid[22] << 16 | (uint32_t)p->fb_eid[23] << 24;
    libpff_item_t *m = NULL;
    if (libpff_file_get_item_by_identifier(p->file, nid, &m, &e) != 1 || !m) {
        libpff_error_free(&e);
        return;
    }
    try_freebusy(p, m, cck_arena_printf(p->arena, "#%u", (unsigned)nid));
    libpff_item_free(&m, NULL);
}

static void describe(cck_pst *p)
{
    libpff_error_t *e = NULL;
    uint8_t ct = 0, ft = 0;
    if (libpff_file_get_content_type(p->file, &ct, &e) != 1)
        libpff_error_free(&e);
    if (libpff_file_get_type(p->file, &ft, &e) != 1)
        libpff_error_free(&e);
    p->mb.kind = ct == LIBPFF_FILE_CONTENT_TYPE_OST   ? "OST"
                 : ct == LIBPFF_FILE_CONTENT_TYPE_PAB ? "PAB"
                                                      : "PST";
    p->mb.format = ft == LIBPFF_FILE_TYPE_32BIT           ? "32-bit (ANSI)"
                   : ft == LIBPFF_FILE_TYPE_64BIT_4K_PAGE ? "64-bit with 4K pages"
                                                          : "64-bit (Unicode)";
    int cp = 0;
    if (libpff_file_get_ascii_codepage(p->file, &cp, &e) != 1) {
        libpff_error_free(&e);
        cp = 1252;
    }
    p->ascii_cp = cp > 0 && cp < 0x10000 ? (unsigned)cp : 1252;
}

static cck_pst *finish_open(cck_pst *p, const char **why)
{
    libpff_error_t *e = NULL;
    describe(p);
    mailbox_facts(p);
    libpff_item_t *root = NULL;
    if (libpff_file_get_root_folder(p->file, &root, &e) != 1 || !root) {
        snprintf(open_why, sizeof open_why, "no root folder: %s",
                 err_text(&e, (char[256]){0}, 256));
        if (why)
            *why = open_why;
        cck_pst_close(p);
        return NULL;
    }
    walk(p, root, "", 0);
    libpff_item_free(&root, NULL);
    if (p->appt_eid)
        for (size_t i = 0; i < p->ncal; i++)
            if (eid_matches(p, p->appt_eid, p->appt_eidlen, p->cal[i].cal.nid)) {
                p->cal[i].cal.is_default = true;
                p->mb.default_known = true;
            }
    sent_items(p);
    find_freebusy(p);
    return p;
}

static cck_pst *new_pst(void)
{
    cck_pst *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->arena = cck_arena_new((size_t)64 << 20);
    p->scratch = cck_arena_new((size_t)64 << 20);
    p->sent_nid = CCK_PST_NOID;
    p->fb_nid = CCK_PST_NOID;
    if (!p->arena || !p->scratch) {
        cck_arena_free(p->arena);
        cck_arena_free(p->scratch);
        free(p);
        return NULL;
    }
    return p;
}

cck_pst *cck_pst_open(const char *path, const char **why)
{
    libpff_error_t *e = NULL;
    char buf[256];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(open_why, sizeof open_why, "cannot open: %s", strerror(errno));
        goto fail;
    }
    fclose(f);
    /* libpff is loaded here, on first use: missing, nothing can be read. */
    if (!cck_lazylib_load(&cck_lazy_pff, open_why, sizeof open_why))
        goto fail;
    int sig = libpff_check_file_signature(path, &e);
    if (sig != 1) {
        if (sig < 0)
            snprintf(open_why, sizeof open_why, "cannot read: %s", err_text(&e, buf, sizeof buf));
        else
            snprintf(open_why, sizeof open_why, "not a PST or OST file (no !BDN signature)");
        libpff_error_free(&e);
        goto fail;
    }
    cck_pst *p = new_pst();
    if (!p) {
        snprintf(open_why, sizeof open_why, "out of memory");
        goto fail;
    }
    if (libpff_file_initialize(&p->file, &e) != 1 ||
        libpff_file_open(p->file, path, LIBPFF_OPEN_READ, &e) != 1) {
        snprintf(open_why, sizeof open_why, "cannot open as PST/OST: %s",
                 err_text(&e, buf, sizeof buf));
        if (p->file)
            libpff_file_free(&p->file, NULL);
        cck_pst_close(p);
        goto fail;
    }
    return finish_open(p, why);
fail:
    if (why)
        *why = open_why;
    return NULL;
}

/* libbfio's memory range (20170123) copies past the end of the range when a
 * read crosses it, so hostile bytes would make it read outside the buffer:
 * the bytes go to an unlinked temporary file instead. */
cck_pst *cck_pst_open_mem(const void *data, size_t len, const char **why)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/calcheck-pst-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(open_why, sizeof open_why, "cannot create a temporary file: %s", strerror(errno));
        if (why)
            *why = open_why;
        return NULL;
    }
    const uint8_t *b = data;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, b + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(open_why, sizeof open_why, "cannot write a temporary file: %s",
                     w < 0 ? strerror(errno) : "short write");
            close(fd);
            unlink(path);
            if (why)
                *why = open_why;
            return NULL;
        }
        off += (size_t)w;
    }
    close(fd);
    cck_pst *p = cck_pst_open(path, why);
    unlink(path); /* libpff keeps its descriptor */
    return p;
}

void cck_pst_close(cck_pst *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ncal; i++)
        libpff_item_free(&p->cal[i].item, NULL);
    free(p->cal);
    free(p->ids);
    if (p->file) {
        libpff_file_close(p->file, NULL);
        libpff_file_free(&p->file, NULL);
    }
    cck_arena_free(p->arena);
    cck_arena_free(p->scratch);
    free(p);
}

int cck_pst_next(cck_pst *p, cck_arena *a, cck_msg **m, const char **where, const char **why)
{
    *m = NULL;
    *where = NULL;
    *why = NULL;
    while (p->fi < p->ncal && p->mi >= p->cal[p->fi].cal.n_items) {
        p->fi++;
        p->mi = 0;
    }
    if (p->fi >= p->ncal) {
        p->cur = NULL;
        return 0;
    }
    pst_folder *f = &p->cal[p->fi];
    int idx = (int)p->mi++;
    p->cur = &f->cal;
    p->cur_nid = CCK_PST_NOID;
    libpff_error_t *e = NULL;
    libpff_item_t *it = NULL;
    if (libpff_folder_get_sub_message(f->item, idx, &it, &e) != 1 || !it) {
        *where = cck_arena_printf(a, "%s item %d", f->cal.path, idx + 1);
        *why = aerr(a, &e, "message unreadable");
        return -1;
    }
    uint32_t nid = CCK_PST_NOID;
    if (libpff_item_get_identifier(it, &nid, &e) != 1)
        libpff_error_free(&e);
    p->cur_nid = nid;
    *where = nid != CCK_PST_NOID ? cck_arena_printf(a, "%s #%u", f->cal.path, nid)
                                 : cck_arena_printf(a, "%s item %d", f->cal.path, idx + 1);
    int r = build_msg(p, a, it, 0, p->ascii_cp, m, why);
    libpff_item_free(&it, NULL);
    if (r == -2) {
        *m = NULL;
        *why = "item too large: the arena limit was reached";
        return -1;
    }
    if (r < 0) {
        *m = NULL;
        if (!*why)
            *why = "message unreadable";
        return -1;
    }
    return 1;
}

int cck_pst_read_nid(cck_pst *p, cck_arena *a, uint32_t nid, cck_msg **m, const char **why)
{
    libpff_error_t *e = NULL;
    libpff_item_t *it = NULL;
    *m = NULL;
    *why = NULL;
    if (libpff_file_get_item_by_identifier(p->file, nid, &it, &e) != 1 || !it) {
        *why = aerr(a, &e, "no such item");
        return -1;
    }
    int r = build_msg(p, a, it, 0, p->ascii_cp, m, why);
    libpff_item_free(&it, NULL);
    if (r == -2)
        *why = "item too large: the arena limit was reached";
    if (r < 0) {
        *m = NULL;
        if (!*why)
            *why = "message unreadable";
        return -1;
    }
    return 0;
}

const cck_pst_mailbox *cck_pst_mailbox_info(const cck_pst *p)
{
    return &p->mb;
}

size_t cck_pst_ncalendars(const cck_pst *p)
{
    return p->ncal;
}

const cck_pst_calendar *cck_pst_calendar_at(const cck_pst *p, size_t i)
{
    return i < p->ncal ? &p->cal[i].cal : NULL;
}

const cck_pst_calendar *cck_pst_current(const cck_pst *p)
{
    return p->cur;
}

uint32_t cck_pst_current_nid(const cck_pst *p)
{
    return p->cur_nid;
}

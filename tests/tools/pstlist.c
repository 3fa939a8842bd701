/* pstlist.c - lists the calendars of PST/OST files as sources/pst.c reads
 * them ([MS-PST] via libpff): per calendar folder its path, node id, the
 * messages libpff counts, the ones read and the ones that failed; with -v
 * each item (class, subject, start, recurring, recipients, attachments,
 * problems), with -p also every property of each item; -n NID prints the
 * properties of one message by node id (any folder). Used by tests/corpus/pst_counts.py and to
 * check by hand.
 *
 * Output lines (tab-separated):
 *   file      PATH KIND FORMAT STORE OWNER ADDRESSES(,-joined) FOLDERS WALK_PROBLEM
 *   calendar  PATH NID COUNTED READ FAILED DEFAULT(0/1) CLASS
 *   item      WHERE CLASS SUBJECT START RECURRING NRECIPS NATTACH NEMBEDDED NPROBLEMS
 *   prop      ID TYPE SET LID|NAME VALUE (-p; 0x8000+ ids with their key)
 *   error     WHERE WHY
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/pst.h"
#include "util/time.h"

static const char *s_or(const char *s)
{
    return s && *s ? s : "-";
}

static void put(const char *s)
{
    cck_fput_escaped(stdout, s, strlen(s), false);
}

static const char *pstr(const cck_props *ps, uint16_t id)
{
    const cck_prop *p = cck_props_get(ps, id);
    return p && (p->type == CCK_PT_UNICODE || p->type == CCK_PT_STRING8) ? p->str.s : NULL;
}

static void props(const cck_props *ps, int depth)
{
    for (size_t i = 0; i < ps->n; i++) {
        const cck_prop *q = &ps->v[i];
        char gb[CCK_GUID_BUF];
        printf("prop\t%d\t0x%04X\t0x%04X\t", depth, q->id, q->type);
        if (q->key && q->key->is_name)
            printf("%s\t%s\t", cck_guid_fmt(&q->key->guid, gb), q->key->name);
        else if (q->key)
            printf("%s\t0x%04X\t", cck_guid_fmt(&q->key->guid, gb), q->key->lid);
        else
            printf("-\t-\t");
        if (q->type == CCK_PT_UNICODE || q->type == CCK_PT_STRING8)
            put(q->str.s ? q->str.s : "");
        else if (q->type == CCK_PT_SYSTIME) {
            char tb[CCK_TIME_BUF];
            put(cck_fmt_filetime(q->v.ft, tb));
        } else if (q->type & CCK_PT_MV) {
            printf("[%zu values]", q->count);
            for (size_t k = 0; k < q->count; k++) {
                fputs(k ? " | " : " ", stdout);
                if (q->mv[k].str.s)
                    put(q->mv[k].str.s);
                else
                    printf("%lld", (long long)q->mv[k].v.i);
            }
        } else if (q->type == CCK_PT_BINARY || q->type == CCK_PT_CLSID || q->type == CCK_PT_OBJECT)
            printf("%zu bytes", q->binlen);
        else
            printf("%lld", (long long)q->v.i);
        putchar('\n');
    }
}

static void msg_props(const cck_msg *m, int depth)
{
    props(cck_msg_props(m), depth);
    for (size_t i = 0; i < cck_msg_nrecips(m); i++) {
        printf("recipient\t%d\t%zu\n", depth, i);
        props(cck_msg_recip(m, i), depth);
    }
    for (size_t i = 0; i < cck_msg_nattachs(m); i++) {
        printf("attachment\t%d\t%zu\n", depth, i);
        props(cck_msg_attach(m, i), depth);
        if (cck_msg_attach_msg(m, i))
            msg_props(cck_msg_attach_msg(m, i), depth + 1);
    }
}

static int list(const char *path, int verbose)
{
    const char *why = NULL;
    cck_pst *p = cck_pst_open(path, &why);
    if (!p) {
        printf("error\t%s\t%s\n", path, why);
        return 1;
    }
    const cck_pst_mailbox *mb = cck_pst_mailbox_info(p);
    size_t nc = cck_pst_ncalendars(p);
    size_t *nread = calloc(nc + 1, sizeof *nread), *nfail = calloc(nc + 1, sizeof *nfail);
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    if (!nread || !nfail || !a) {
        fprintf(stderr, "pstlist: out of memory\n");
        exit(2);
    }
    printf("file\t%s\t%s\t%s\t", path, mb->kind, mb->format);
    put(s_or(mb->store_name));
    putchar('\t');
    put(s_or(mb->owner));
    putchar('\t');
    for (size_t i = 0; i < mb->n_owner_addresses; i++) {
        if (i)
            putchar(',');
        put(mb->owner_addresses[i]);
    }
    if (!mb->n_owner_addresses)
        putchar('-');
    printf("\t%zu\t", mb->n_folders);
    put(s_or(mb->walk_problem));
    putchar('\n');
    for (;;) {
        cck_msg *m;
        const char *where;
        cck_arena_reset(a);
        int r = cck_pst_next(p, a, &m, &where, &why);
        if (r == 0)
            break;
        const cck_pst_calendar *cur = cck_pst_current(p);
        size_t ci = 0;
        while (ci < nc && cck_pst_calendar_at(p, ci) != cur)
            ci++;
        if (r < 0) {
            nfail[ci]++;
            printf("error\t");
            put(s_or(where));
            putchar('\t');
            put(s_or(why));
            putchar('\n');
            continue;
        }
        nread[ci]++;
        if (!verbose)
            continue;
        const cck_props *ps = cck_msg_props(m);
        const cck_prop *st =
            cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_START_WHOLE);
        const cck_prop *rec = cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_RECURRING);
        char tb[64];
        size_t nemb = 0;
        for (size_t i = 0; i < cck_msg_nattachs(m); i++)
            nemb += cck_msg_attach_msg(m, i) != NULL;
        printf("item\t");
        put(where);
        putchar('\t');
        put(s_or(pstr(ps, CCK_PID_MESSAGE_CLASS)));
        putchar('\t');
        put(s_or(pstr(ps, CCK_PID_SUBJECT)));
        printf("\t%s\t%s\t%zu\t%zu\t%zu\t%zu\n",
               st && st->type == CCK_PT_SYSTIME ? cck_fmt_filetime(st->v.ft, tb) : "-",
               rec ? (rec->v.i ? "1" : "0") : "-", cck_msg_nrecips(m), cck_msg_nattachs(m), nemb,
               cck_msg_problems(m)->n);
        if (verbose > 1)
            msg_props(m, 0);
        const cck_problems *pr = cck_msg_problems(m);
        for (size_t i = 0; i < pr->n; i++) {
            printf("problem\t%s\t", pr->v[i].code);
            put(pr->v[i].text);
            putchar('\n');
        }
    }
    for (size_t i = 0; i < nc; i++) {
        const cck_pst_calendar *c = cck_pst_calendar_at(p, i);
        printf("calendar\t");
        put(c->path);
        printf("\t%u\t%zu\t%zu\t%zu\t%d\t", c->nid, c->n_items, nread[i], nfail[i],
               c->is_default ? 1 : 0);
        put(s_or(c->container_class));
        putchar('\n');
    }
    free(nread);
    free(nfail);
    cck_arena_free(a);
    cck_pst_close(p);
    return 0;
}

static int one(const char *path, unsigned long nid)
{
    const char *why = NULL;
    cck_pst *p = cck_pst_open(path, &why);
    if (!p) {
        printf("error\t%s\t%s\n", path, why);
        return 1;
    }
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_msg *m = NULL;
    int rc = 0;
    if (cck_pst_read_nid(p, a, (uint32_t)nid, &m, &why) < 0) {
        printf("error\t#%lu\t%s\n", nid, why);
        rc = 1;
    } else {
        msg_props(m, 0);
        const cck_problems *pr = cck_msg_problems(m);
        for (size_t i = 0; i < pr->n; i++)
            printf("problem\t%s\t%s\n", pr->v[i].code, pr->v[i].text);
    }
    cck_arena_free(a);
    cck_pst_close(p);
    return rc;
}

int main(int argc, char **argv)
{
    int verbose = 0, status = 0, i = 1;
    if (argc == 4 && strcmp(argv[1], "-n") == 0)
        return one(argv[3], strtoul(argv[2], NULL, 0));
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = verbose > 1 ? verbose : 1;
        else if (strcmp(argv[i], "-p") == 0)
            verbose = 2;
        else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: pstlist [-v|-p] FILE.pst|FILE.ost... | pstlist -n NID FILE\n");
        return 2;
    }
    for (; i < argc; i++)
        status |= list(argv[i], verbose);
    return status;
}

/* msgitem.c - maps .msg properties to the neutral item. Tagged properties by
 * id ([MS-OXPROPS]), named ones by (property set, LID) through the message's
 * own name map ([MS-OXMSG] 2.2.3); calendar blobs decoded per [MS-OXOCAL]
 * 2.2.1.27, 2.2.1.39, 2.2.1.41-2.2.1.44. A property with an unexpected type
 * is recorded as CCK_BADTYPE so checks can tell it from a missing one. */
#include "msgitem.h"

#include <stdio.h>
#include <string.h>

static bool is_str(uint16_t t)
{
    return t == CCK_PT_UNICODE || t == CCK_PT_STRING8;
}

static cck_fstr fstr(const cck_prop *p)
{
    cck_fstr f = {CCK_ABSENT, NULL, 0};
    if (!p)
        return f;
    if (!is_str(p->type)) {
        f.has = CCK_BADTYPE;
        return f;
    }
    f.has = CCK_PRESENT;
    f.s = p->str.s ? p->str.s : "";
    f.len = p->str.s ? p->str.len : 0;
    return f;
}

static cck_fint fint(const cck_prop *p)
{
    cck_fint f = {CCK_ABSENT, 0};
    if (!p)
        return f;
    if (p->type != CCK_PT_LONG && p->type != CCK_PT_I2 && p->type != CCK_PT_I8) {
        f.has = CCK_BADTYPE;
        return f;
    }
    f.has = CCK_PRESENT;
    f.v = p->v.i;
    return f;
}

static cck_fbool fbool(const cck_prop *p)
{
    cck_fbool f = {CCK_ABSENT, false};
    if (!p)
        return f;
    if (p->type != CCK_PT_BOOLEAN) {
        f.has = CCK_BADTYPE;
        return f;
    }
    f.has = CCK_PRESENT;
    f.v = p->v.i != 0;
    return f;
}

static cck_ftime ftime_(const cck_prop *p)
{
    cck_ftime f = {CCK_ABSENT, 0};
    if (!p)
        return f;
    if (p->type != CCK_PT_SYSTIME) {
        f.has = CCK_BADTYPE;
        return f;
    }
    f.has = CCK_PRESENT;
    f.ft = p->v.ft;
    return f;
}

static cck_fbin fbin(const cck_prop *p)
{
    cck_fbin f = {CCK_ABSENT, NULL, 0};
    if (!p)
        return f;
    if (p->type != CCK_PT_BINARY) {
        f.has = CCK_BADTYPE;
        return f;
    }
    f.has = CCK_PRESENT;
    f.p = p->bin;
    f.n = p->binlen;
    return f;
}

/* Each decoder runs only on a present, correctly typed blob. */
#define DECODE(field, parse, ps, set, lid)                                                         \
    do {                                                                                           \
        (field).raw = fbin(cck_props_get_lid(ps, set, lid));                                       \
        cck_problems_init(&(field).problems, a);                                                   \
        if ((field).raw.has == CCK_PRESENT && (field).raw.n > 0)                                   \
            (field).v = parse((field).raw.p, (field).raw.n, a, &(field).problems);                 \
    } while (0)

static void fill_recips(const cck_msg *m, cck_arena *a, cck_item *it)
{
    size_t n = cck_msg_nrecips(m);
    cck_recip *r = n ? cck_arena_calloc(a, n, sizeof *r) : NULL;
    if (n && !r) {
        it->recips_unreadable = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (cck_msg_recip_damage(m, i))
            it->recips_unreadable = true;
        const cck_props *ps = cck_msg_recip(m, i);
        r[i].display_name = fstr(cck_props_get(ps, CCK_PID_DISPLAY_NAME));
        r[i].addrtype = fstr(cck_props_get(ps, CCK_PID_ADDRTYPE));
        r[i].email = fstr(cck_props_get(ps, CCK_PID_EMAIL_ADDRESS));
        r[i].smtp = fstr(cck_props_get(ps, CCK_PID_SMTP_ADDRESS));
        r[i].type = fint(cck_props_get(ps, CCK_PID_RECIPIENT_TYPE));
        r[i].flags = fint(cck_props_get(ps, CCK_PID_RECIPIENT_FLAGS));
        r[i].track_status = fint(cck_props_get(ps, CCK_PID_RECIPIENT_TRACK_STATUS));
    }
    it->recips = r;
    it->n_recips = n;
}

/* PS_PUBLIC_STRINGS "Keywords": the item's categories (holiday skip rule). */
static void fill_keywords(const cck_props *ps, cck_arena *a, cck_item *it)
{
    const cck_prop *p = cck_props_get_name(ps, &CCK_PS_PUBLIC_STRINGS, "Keywords");
    if (!p || !(p->type & CCK_PT_MV) || !is_str(p->type & ~CCK_PT_MV) || !p->count)
        return;
    const char **v = cck_arena_calloc(a, p->count, sizeof *v);
    if (!v)
        return;
    for (size_t i = 0; i < p->count; i++)
        v[i] = p->mv[i].str.s ? p->mv[i].str.s : "";
    it->keywords = v;
    it->n_keywords = p->count;
}

static int fill(const cck_msg *m, const char *source, const char *locator, uint64_t file_size,
                cck_arena *a, cck_item *it, int depth)
{
    memset(it, 0, sizeof *it);
    const cck_props *ps = cck_msg_props(m);
    it->source = cck_arena_strndup(a, source, strlen(source));
    it->locator = cck_arena_strndup(a, locator, strlen(locator));
    if (!it->source || !it->locator)
        return -1;

    it->message_class = fstr(cck_props_get(ps, CCK_PID_MESSAGE_CLASS));
    it->subject = fstr(cck_props_get(ps, CCK_PID_SUBJECT));
    it->location = fstr(cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_LOCATION));
    it->last_modifier = fstr(cck_props_get(ps, CCK_PID_LAST_MODIFIER_NAME));
    it->creation = ftime_(cck_props_get(ps, CCK_PID_CREATION_TIME));
    it->last_modification = ftime_(cck_props_get(ps, CCK_PID_LAST_MODIFICATION_TIME));
    it->delivery = ftime_(cck_props_get(ps, CCK_PID_MESSAGE_DELIVERY_TIME));
    it->message_size = fint(cck_props_get(ps, CCK_PID_MESSAGE_SIZE));
    if (it->message_size.has == CCK_ABSENT && file_size) {
        /* A .msg file carries no PidTagMessageSize; its size stands in. */
        it->message_size.has = CCK_PRESENT;
        it->message_size.v = (int64_t)file_size;
    }
    it->message_status = fint(cck_props_get(ps, CCK_PID_MESSAGE_STATUS));
    it->message_flags = fint(cck_props_get(ps, CCK_PID_MESSAGE_FLAGS));
    fill_keywords(ps, a, it);

    const cck_guid *ap = &CCK_PSETID_APPOINTMENT;
    it->start = ftime_(cck_props_get_lid(ps, ap, CCK_LID_APPT_START_WHOLE));
    it->end = ftime_(cck_props_get_lid(ps, ap, CCK_LID_APPT_END_WHOLE));
    it->common_start = ftime_(cck_props_get_lid(ps, &CCK_PSETID_COMMON, CCK_LID_COMMON_START));
    it->common_end = ftime_(cck_props_get_lid(ps, &CCK_PSETID_COMMON, CCK_LID_COMMON_END));
    it->duration = fint(cck_props_get_lid(ps, ap, CCK_LID_APPT_DURATION));
    it->all_day = fbool(cck_props_get_lid(ps, ap, CCK_LID_APPT_SUB_TYPE));
    it->tz_description = fstr(cck_props_get_lid(ps, ap, CCK_LID_TIME_ZONE_DESCRIPTION));
    DECODE(it->tzreg, cck_tzreg_parse, ps, ap, CCK_LID_TIME_ZONE_STRUCT);
    DECODE(it->tzdef_start, cck_tzdef_parse, ps, ap, CCK_LID_APPT_TZDEF_START_DISPLAY);
    DECODE(it->tzdef_end, cck_tzdef_parse, ps, ap, CCK_LID_APPT_TZDEF_END_DISPLAY);
    DECODE(it->tzdef_recur, cck_tzdef_parse, ps, ap, CCK_LID_APPT_TZDEF_RECUR);

    it->recurring = fbool(cck_props_get_lid(ps, ap, CCK_LID_RECURRING));
    it->recurrence_type = fint(cck_props_get_lid(ps, ap, CCK_LID_RECURRENCE_TYPE));
    DECODE(it->recur, cck_apptrecur_parse, ps, ap, CCK_LID_APPT_RECUR);

    it->state_flags = fint(cck_props_get_lid(ps, ap, CCK_LID_APPT_STATE_FLAGS));
    it->aux_flags = fint(cck_props_get_lid(ps, ap, CCK_LID_APPT_AUX_FLAGS));
    it->response_status = fint(cck_props_get_lid(ps, ap, CCK_LID_RESPONSE_STATUS));
    it->busy_status = fint(cck_props_get_lid(ps, ap, CCK_LID_BUSY_STATUS));
    DECODE(it->goid, cck_goid_parse, ps, &CCK_PSETID_MEETING, CCK_LID_GLOBAL_OBJECT_ID);
    DECODE(it->clean_goid, cck_goid_parse, ps, &CCK_PSETID_MEETING, CCK_LID_CLEAN_GLOBAL_OBJECT_ID);
    it->sent_rep_name = fstr(cck_props_get(ps, CCK_PID_SENT_REPRESENTING_NAME));
    it->sent_rep_addrtype = fstr(cck_props_get(ps, CCK_PID_SENT_REPRESENTING_ADDRTYPE));
    it->sent_rep_email = fstr(cck_props_get(ps, CCK_PID_SENT_REPRESENTING_EMAIL));
    it->sent_rep_smtp = fstr(cck_props_get(ps, 0x5D02 /* PidTagSentRepresentingSmtpAddress */));
    it->sender_name = fstr(cck_props_get(ps, CCK_PID_SENDER_NAME));
    it->sender_addrtype = fstr(cck_props_get(ps, CCK_PID_SENDER_ADDRTYPE));
    it->sender_email = fstr(cck_props_get(ps, CCK_PID_SENDER_EMAIL));
    it->sender_smtp = fstr(cck_props_get(ps, 0x5D01 /* PidTagSenderSmtpAddress */));
    fill_recips(m, a, it);

    DECODE(it->pds, cck_pds_parse, ps, &CCK_PSETID_COMMON, CCK_LID_PROPERTY_DEFINITION_STREAM);
    it->container_problems = cck_msg_problems(m);

    /* Attachments; embedded messages of a recurring item are its exceptions. */
    it->n_attachs = cck_msg_nattachs(m);
    for (size_t i = 0; i < it->n_attachs && !it->attachs_unreadable; i++) {
        const char *why = cck_msg_attach_damage(m, i);
        if (why) {
            it->attachs_unreadable = true;
            it->attachs_why = why;
        }
    }
    size_t nexc = 0;
    for (size_t i = 0; i < it->n_attachs; i++)
        nexc += cck_msg_attach_msg(m, i) != NULL;
    if (nexc && depth < CCK_MSG_MAX_DEPTH) {
        cck_item *ex = cck_arena_calloc(a, nexc, sizeof *ex);
        if (!ex)
            return -1;
        size_t k = 0;
        for (size_t i = 0; i < it->n_attachs; i++) {
            const cck_msg *sub = cck_msg_attach_msg(m, i);
            if (!sub)
                continue;
            char loc[64];
            snprintf(loc, sizeof loc, "%s%sattachment %zu", locator, *locator ? ", " : "", i);
            if (fill(sub, source, loc, 0, a, &ex[k], depth + 1) != 0)
                return -1;
            ex[k].is_exception = true;
            k++;
        }
        it->exceptions = ex;
        it->n_exceptions = k;
    }
    return 0;
}

int cck_item_from_msg(const cck_msg *m, const char *source, const char *locator, uint64_t file_size,
                      cck_arena *a, cck_item *out)
{
    return fill(m, source, locator ? locator : "", file_size, a, out, 0);
}

/* tz.c - decodes TZREG (PidLidTimeZoneStruct, [MS-OXOCAL] 2.2.1.39) and
 * TZDEFINITION with its TZRule array (2.2.1.41, 2.2.1.41.1; the optional GUID
 * after the flags follows the MAPI persisted form of TZDEFINITION), checks
 * versions, sizes, the key name (an empty one crashed Outlook 2010 with
 * KB 2553248), the effective rule and each SYSTEMTIME, and renders them.
 */
#include "tz.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mapi/props.h"
#include "mapi/recur.h"
#include "util/cursor.h"

#define ERR  CCK_SEV_ERROR
#define WARN CCK_SEV_WARNING

static void read_st(cck_cur *c, cck_systemtime *st)
{
    st->wYear = cck_cur_u16(c);
    st->wMonth = cck_cur_u16(c);
    st->wDayOfWeek = cck_cur_u16(c);
    st->wDay = cck_cur_u16(c);
    st->wHour = cck_cur_u16(c);
    st->wMinute = cck_cur_u16(c);
    st->wSecond = cck_cur_u16(c);
    st->wMilliseconds = cck_cur_u16(c);
}

/* A transition date of a time-zone rule: wMonth 0 means "no transition";
 * otherwise the fields must name a real moment, with wDay a week number
 * (1..5, 5 = last) in the relative form (wYear 0). */
static void check_st(cck_problems *pr, const char *code, uint64_t at, const char *what,
                     const cck_systemtime *st)
{
    if (st->wMonth == 0)
        return;
    if (st->wMonth > 12)
        cck_problems_add(pr, ERR, code, at + 2, "%s wMonth %u is not 1..12", what, st->wMonth);
    if (st->wDayOfWeek > 6)
        cck_problems_add(pr, ERR, code, at + 4, "%s wDayOfWeek %u is not 0..6", what,
                         st->wDayOfWeek);
    if (st->wYear == 0 && (st->wDay < 1 || st->wDay > 5))
        cck_problems_add(pr, ERR, code, at + 6,
                         "%s wDay %u is not a week of the month (1..5) in the relative form", what,
                         st->wDay);
    else if (st->wYear != 0 && (st->wDay < 1 || st->wDay > 31))
        cck_problems_add(pr, ERR, code, at + 6, "%s wDay %u is not 1..31", what, st->wDay);
    if (st->wHour > 23 || st->wMinute > 59 || st->wSecond > 59 || st->wMilliseconds > 999)
        cck_problems_add(pr, ERR, code, at + 8, "%s time %02u:%02u:%02u.%03u is not a time of day",
                         what, st->wHour, st->wMinute, st->wSecond, st->wMilliseconds);
}

static void check_pair(cck_problems *pr, const char *code, uint64_t at, const cck_systemtime *std,
                       const cck_systemtime *dst)
{
    if ((std->wMonth == 0) != (dst->wMonth == 0))
        cck_problems_add(pr, WARN, code, at,
                         "stStandardDate month %u and stDaylightDate month %u: only one "
                         "transition is set",
                         std->wMonth, dst->wMonth);
}

bool cck_systemtime_eq(const cck_systemtime *a, const cck_systemtime *b)
{
    return a->wYear == b->wYear && a->wMonth == b->wMonth && a->wDayOfWeek == b->wDayOfWeek &&
           a->wDay == b->wDay && a->wHour == b->wHour && a->wMinute == b->wMinute &&
           a->wSecond == b->wSecond && a->wMilliseconds == b->wMilliseconds;
}

bool cck_tzreg_matches_rule(const cck_tzreg *reg, const cck_tzrule *rule)
{
    return reg && rule && reg->lBias == rule->lBias && reg->lStandardBias == rule->lStandardBias &&
           reg->lDaylightBias == rule->lDaylightBias &&
           cck_systemtime_eq(&reg->stStandardDate, &rule->stStandardDate) &&
           cck_systemtime_eq(&reg->stDaylightDate, &rule->stDaylightDate);
}

char *cck_systemtime_rule_fmt(const cck_systemtime *st, char *buf, size_t n)
{
    static const char *const wk[] = {"first", "second", "third", "fourth", "last"};
    static const char *const dn[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
    static const char *const mn[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};
    if (st->wMonth == 0)
        snprintf(buf, n, "none");
    else if (st->wMonth > 12 || st->wDayOfWeek > 6)
        snprintf(buf, n, "invalid");
    else if (st->wYear == 0 && st->wDay >= 1 && st->wDay <= 5)
        snprintf(buf, n, "%s %s of %s %02u:%02u", wk[st->wDay - 1], dn[st->wDayOfWeek],
                 mn[st->wMonth - 1], st->wHour, st->wMinute);
    else
        snprintf(buf, n, "%04u-%02u-%02u %02u:%02u", st->wYear, st->wMonth, st->wDay, st->wHour,
                 st->wMinute);
    return buf;
}

/* ---- TZREG ---------------------------------------------------------------- */

const cck_tzreg *cck_tzreg_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr)
{
    cck_tzreg *t = cck_arena_alloc(a, sizeof *t);
    if (!t)
        return NULL;
    cck_cur c;
    cck_cur_init(&c, p, n);
    /* Fixed layout of 2.2.1.39; the cursor yields zeros past the end, and the
     * size problem below names the first field that is missing. */
    t->lBias = cck_cur_i32(&c);
    t->lStandardBias = cck_cur_i32(&c);
    t->lDaylightBias = cck_cur_i32(&c);
    t->wStandardYear = cck_cur_u16(&c);
    read_st(&c, &t->stStandardDate);
    t->wDaylightYear = cck_cur_u16(&c);
    read_st(&c, &t->stDaylightDate);
    if (n < CCK_TZREG_SIZE) {
        static const struct {
            size_t end;
            const char *name;
        } f[] = {{4, "lBias"},          {8, "lStandardBias"},   {12, "lDaylightBias"},
                 {14, "wStandardYear"}, {30, "stStandardDate"}, {32, "wDaylightYear"},
                 {48, "stDaylightDate"}};
        size_t i = 0;
        while (f[i].end <= n)
            i++;
        cck_problems_add(pr, ERR, "tzreg.truncated", n,
                         "TZREG is %zu bytes, not 48: it ends inside %s", n, f[i].name);
        return t;
    }
    t->complete = true;
    if (n > CCK_TZREG_SIZE)
        cck_problems_add(pr, WARN, "tzreg.trailing", CCK_TZREG_SIZE,
                         "TZREG is %zu bytes, not 48: %zu bytes follow it", n, n - CCK_TZREG_SIZE);
    check_st(pr, "tzreg.bad_systemtime", 14, "stStandardDate", &t->stStandardDate);
    check_st(pr, "tzreg.bad_systemtime", 32, "stDaylightDate", &t->stDaylightDate);
    check_pair(pr, "tzreg.half_dst", 14, &t->stStandardDate, &t->stDaylightDate);
    return t;
}

/* ---- TZDEFINITION --------------------------------------------------------- */

static bool tz_need(cck_cur *c, cck_problems *pr, size_t n, const char *what)
{
    size_t left = cck_cur_left(c);
    if (left >= n)
        return true;
    cck_problems_add(pr, ERR, "tzdef.truncated", c->pos,
                     "TZDEFINITION ends inside %s: %zu bytes needed, %zu remain", what, n, left);
    return false;
}

static void parse_rule(cck_cur *c, cck_tzrule *r)
{
    r->offset = c->pos;
    r->MajorVersion = cck_cur_u8(c);
    r->MinorVersion = cck_cur_u8(c);
    r->Reserved = cck_cur_u16(c);
    r->TZRuleFlags = cck_cur_u16(c);
    r->wYear = cck_cur_u16(c);
    const uint8_t *x = cck_cur_bytes(c, sizeof r->X);
    if (x)
        memcpy(r->X, x, sizeof r->X);
    r->lBias = cck_cur_i32(c);
    r->lStandardBias = cck_cur_i32(c);
    r->lDaylightBias = cck_cur_i32(c);
    read_st(c, &r->stStandardDate);
    read_st(c, &r->stDaylightDate);
}

static void check_rule(cck_problems *pr, const cck_tzrule *r, size_t i)
{
    uint64_t at = r->offset;
    if (r->MajorVersion != 0x02 || r->MinorVersion != 0x01)
        cck_problems_add(pr, ERR, "tzdef.version", at, "TZRules[%zu] version %u.%u is not 2.1", i,
                         r->MajorVersion, r->MinorVersion);
    if (r->Reserved != CCK_TZRULE_RESERVED)
        cck_problems_add(pr, ERR, "tzdef.rule_size", at + 2,
                         "TZRules[%zu] Reserved (rule size) 0x%04X is not 0x003E", i, r->Reserved);
    if (r->TZRuleFlags & ~(CCK_TZRULE_FLAG_RECUR_CURRENT_TZREG | CCK_TZRULE_FLAG_EFFECTIVE_TZREG))
        cck_problems_add(pr, WARN, "tzdef.rule_flags", at + 4,
                         "TZRules[%zu] TZRuleFlags 0x%04X has undefined bits", i, r->TZRuleFlags);
    char what[48];
    snprintf(what, sizeof what, "TZRules[%zu] stStandardDate", i);
    check_st(pr, "tzdef.bad_systemtime", at + 34, what, &r->stStandardDate);
    snprintf(what, sizeof what, "TZRules[%zu] stDaylightDate", i);
    check_st(pr, "tzdef.bad_systemtime", at + 50, what, &r->stDaylightDate);
    check_pair(pr, "tzdef.half_dst", at + 34, &r->stStandardDate, &r->stDaylightDate);
}

/* Decodes the header; returns false when the rules cannot be reached. */
static bool parse_header(cck_cur *c, cck_tzdef *t, cck_arena *a, cck_problems *pr, bool *oom)
{
    if (!tz_need(c, pr, 6, "the header"))
        return false;
    t->MajorVersion = cck_cur_u8(c);
    t->MinorVersion = cck_cur_u8(c);
    t->cbHeader = cck_cur_u16(c);
    t->Reserved = cck_cur_u16(c);
    if (t->MajorVersion != 0x02 || t->MinorVersion < 0x01)
        cck_problems_add(pr, ERR, "tzdef.version", 0, "version %u.%u is not 2.1", t->MajorVersion,
                         t->MinorVersion);
    if (!(t->Reserved & CCK_TZDEFINITION_FLAG_VALID_KEYNAME) ||
        (t->Reserved & ~(CCK_TZDEFINITION_FLAG_VALID_KEYNAME | CCK_TZDEFINITION_FLAG_VALID_GUID)))
        cck_problems_add(pr, WARN, "tzdef.flags", 4,
                         "flags 0x%04X are not TZDEFINITION_FLAG_VALID_KEYNAME (0x0002)",
                         t->Reserved);
    size_t expect = 4; /* the flags and cRules */
    if (t->Reserved & CCK_TZDEFINITION_FLAG_VALID_GUID) {
        if (!tz_need(c, pr, 16, "the time-zone GUID"))
            return false;
        memcpy(t->guid, cck_cur_bytes(c, 16), 16);
        t->has_guid = true;
        expect += 16;
    }
    if (t->Reserved & CCK_TZDEFINITION_FLAG_VALID_KEYNAME) {
        size_t at = c->pos;
        if (!tz_need(c, pr, 2, "cchKeyName"))
            return false;
        t->cchKeyName = cck_cur_u16(c);
        expect += 2 + 2 * (size_t)t->cchKeyName;
        if (t->cchKeyName == 0)
            cck_problems_add(pr, ERR, "tzdef.empty_keyname", at,
                             "cchKeyName 0 with TZDEFINITION_FLAG_VALID_KEYNAME set: an empty "
                             "key name (crashes Outlook 2010 with KB 2553248)");
        if (!tz_need(c, pr, 2 * (size_t)t->cchKeyName, "KeyName"))
            return false;
        const uint8_t *k = cck_cur_bytes(c, 2 * (size_t)t->cchKeyName);
        if (cck_utf16le_to_utf8(a, k, 2 * (size_t)t->cchKeyName, &t->KeyName) < 0) {
            *oom = true;
            return false;
        }
        if (t->cchKeyName && memchr(t->KeyName.s, 0, t->KeyName.len))
            cck_problems_add(pr, WARN, "tzdef.keyname_nul", at + 2,
                             "KeyName of %u characters holds a NUL", t->cchKeyName);
    }
    size_t at_rules = c->pos;
    if (!tz_need(c, pr, 2, "cRules"))
        return false;
    t->cRules = cck_cur_u16(c);
    if (t->cbHeader != expect)
        cck_problems_add(pr, ERR, "tzdef.header_size", 2,
                         "cbHeader %u is not %zu (6 + 2 x cchKeyName %u%s)", t->cbHeader, expect,
                         t->cchKeyName, t->has_guid ? " + 16 for the GUID" : "");
    if (t->cRules == 0)
        cck_problems_add(pr, ERR, "tzdef.no_rules", at_rules, "cRules 0: no time-zone rule");
    return true;
}

const cck_tzdef *cck_tzdef_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr)
{
    cck_tzdef *t = cck_arena_alloc(a, sizeof *t);
    if (!t)
        return NULL;
    cck_cur c;
    cck_cur_init(&c, p, n);
    bool oom = false;
    if (!parse_header(&c, t, a, pr, &oom))
        return oom ? NULL : t;
    size_t at_rules = c.pos - 2;
    size_t want = t->cRules, fit = cck_cur_left(&c) / CCK_TZRULE_SIZE;
    if (want > CCK_TZDEF_MAX_RULES) {
        cck_problems_add(pr, ERR, "tzdef.too_many", at_rules,
                         "cRules %u exceeds the limit of %d; only the first %d decoded", t->cRules,
                         CCK_TZDEF_MAX_RULES, CCK_TZDEF_MAX_RULES);
        want = CCK_TZDEF_MAX_RULES;
    }
    bool truncated = fit < t->cRules;
    if (want > fit)
        want = fit;
    t->TZRules = cck_arena_calloc(a, want ? want : 1, sizeof *t->TZRules);
    if (!t->TZRules)
        return NULL;
    int effective = 0;
    for (size_t i = 0; i < want; i++) {
        cck_tzrule *r = &t->TZRules[i];
        parse_rule(&c, r);
        t->n_rules = i + 1;
        check_rule(pr, r, i);
        if (r->TZRuleFlags & CCK_TZRULE_FLAG_EFFECTIVE_TZREG) {
            if (!t->effective)
                t->effective = r;
            effective++;
        }
        /* The first rule applies until the second starts whatever its year,
         * so only the order of the years matters. */
        if (i > 0 && r->wYear <= t->TZRules[i - 1].wYear)
            cck_problems_add(pr, WARN, "tzdef.unsorted", r->offset + 6,
                             "TZRules[%zu] wYear %u is not after TZRules[%zu] wYear %u", i,
                             r->wYear, i - 1, t->TZRules[i - 1].wYear);
    }
    if (truncated) {
        tz_need(&c, pr, CCK_TZRULE_SIZE * (t->cRules - t->n_rules), "TZRules");
        return t;
    }
    cck_cur_skip(&c, (size_t)(t->cRules - want) * CCK_TZRULE_SIZE);
    t->complete = true;
    if (t->cRules && effective == 0)
        cck_problems_add(pr, ERR, "tzdef.no_effective", at_rules,
                         "none of the %u rules has TZRULE_FLAG_EFFECTIVE_TZREG", t->cRules);
    else if (effective > 1)
        cck_problems_add(pr, WARN, "tzdef.multiple_effective", at_rules,
                         "%d rules have TZRULE_FLAG_EFFECTIVE_TZREG; only one may", effective);
    if (cck_cur_left(&c))
        cck_problems_add(pr, WARN, "tzdef.trailing", c.pos, "%zu bytes follow the last TZRule",
                         cck_cur_left(&c));
    return t;
}

/* ---- rendering ------------------------------------------------------------ */

void cck_systemtime_emit(const cck_systemtime *st, cck_emit *e, const char *key)
{
    cck_emit_begin_obj(e, key);
    cck_emit_uint(e, "wYear", st->wYear);
    cck_emit_uint(e, "wMonth", st->wMonth);
    cck_emit_uint(e, "wDayOfWeek", st->wDayOfWeek);
    cck_emit_uint(e, "wDay", st->wDay);
    cck_emit_uint(e, "wHour", st->wHour);
    cck_emit_uint(e, "wMinute", st->wMinute);
    cck_emit_uint(e, "wSecond", st->wSecond);
    cck_emit_uint(e, "wMilliseconds", st->wMilliseconds);
    cck_emit_end_obj(e);
}

static void emit_biases(cck_emit *e, int32_t bias, int32_t sbias, int32_t dbias)
{
    cck_emit_int(e, "lBias", bias);
    cck_emit_int(e, "lStandardBias", sbias);
    cck_emit_int(e, "lDaylightBias", dbias);
}

/* In text, a SYSTEMTIME member is preceded by a readable summary of the rule. */
static void emit_transition(cck_emit *e, const char *key, const char *summary_key,
                            const cck_systemtime *st)
{
    if (cck_emit_fmt(e) == CCK_EMIT_TEXT) {
        char b[96];
        cck_emit_str(e, summary_key, cck_systemtime_rule_fmt(st, b, sizeof b));
    }
    cck_systemtime_emit(st, e, key);
}

void cck_tzreg_emit(const cck_tzreg *t, const cck_problems *pr, cck_emit *e, const char *key)
{
    cck_emit_begin_obj(e, key);
    if (t) {
        emit_biases(e, t->lBias, t->lStandardBias, t->lDaylightBias);
        cck_emit_uint(e, "wStandardYear", t->wStandardYear);
        emit_transition(e, "stStandardDate", "StandardTransition", &t->stStandardDate);
        cck_emit_uint(e, "wDaylightYear", t->wDaylightYear);
        emit_transition(e, "stDaylightDate", "DaylightTransition", &t->stDaylightDate);
    }
    cck_mapi_emit_problems(pr, e);
    cck_emit_end_obj(e);
}

static char *rule_flags_fmt(uint16_t f, char *b, size_t n)
{
    snprintf(b, n, "%s%s%s%s",
             f & CCK_TZRULE_FLAG_EFFECTIVE_TZREG ? "TZRULE_FLAG_EFFECTIVE_TZREG" : "",
             (f & 3) == 3 ? "|" : "",
             f & CCK_TZRULE_FLAG_RECUR_CURRENT_TZREG ? "TZRULE_FLAG_RECUR_CURRENT_TZREG" : "",
             f & ~3u ? (f & 3 ? "|undefined bits" : "undefined bits") : "");
    if (!f)
        snprintf(b, n, "none");
    return b;
}

void cck_tzdef_emit(const cck_tzdef *t, const cck_problems *pr, cck_emit *e, const char *key)
{
    char b[96];
    cck_emit_begin_obj(e, key);
    if (t) {
        cck_emit_hex(e, "MajorVersion", t->MajorVersion, 2);
        cck_emit_hex(e, "MinorVersion", t->MinorVersion, 2);
        cck_emit_uint(e, "cbHeader", t->cbHeader);
        snprintf(
            b, sizeof b, "%s%s%s",
            t->Reserved & CCK_TZDEFINITION_FLAG_VALID_GUID ? "TZDEFINITION_FLAG_VALID_GUID" : "",
            (t->Reserved & 3) == 3 ? "|" : "",
            t->Reserved & CCK_TZDEFINITION_FLAG_VALID_KEYNAME ? "TZDEFINITION_FLAG_VALID_KEYNAME"
                                                              : "");
        cck_emit_hex_note(e, "Reserved", t->Reserved, 4, b[0] ? b : "no flag");
        if (t->has_guid) {
            cck_guid g;
            memcpy(g.b, t->guid, 16);
            char gb[CCK_GUID_BUF];
            cck_emit_str(e, "guidTZID", cck_guid_fmt(&g, gb));
        }
        cck_emit_uint(e, "cchKeyName", t->cchKeyName);
        if (t->KeyName.s)
            cck_emit_strn(e, "KeyName", t->KeyName.s, t->KeyName.len);
        else
            cck_emit_str(e, "KeyName", "");
        cck_emit_uint(e, "cRules", t->cRules);
        cck_emit_begin_arr(e, "TZRules");
        for (size_t i = 0; i < t->n_rules; i++) {
            const cck_tzrule *r = &t->TZRules[i];
            cck_emit_begin_obj(e, NULL);
            cck_emit_hex(e, "MajorVersion", r->MajorVersion, 2);
            cck_emit_hex(e, "MinorVersion", r->MinorVersion, 2);
            cck_emit_hex(e, "Reserved", r->Reserved, 4);
            cck_emit_hex_note(e, "TZRuleFlags", r->TZRuleFlags, 4,
                              rule_flags_fmt(r->TZRuleFlags, b, sizeof b));
            cck_emit_uint(e, "wYear", r->wYear);
            cck_emit_bytes(e, "X", r->X, sizeof r->X);
            emit_biases(e, r->lBias, r->lStandardBias, r->lDaylightBias);
            emit_transition(e, "stStandardDate", "StandardTransition", &r->stStandardDate);
            emit_transition(e, "stDaylightDate", "DaylightTransition", &r->stDaylightDate);
            cck_emit_end_obj(e);
        }
        cck_emit_end_arr(e);
    }
    cck_mapi_emit_problems(pr, e);
    cck_emit_end_obj(e);
}

/* test_recur.c - RecurrencePattern / AppointmentRecurrencePattern decoding,
 * one targeted mutation per structural problem, truncation at every length,
 * and the rendered output. Blobs are built field by field ([MS-OXOCAL] 2.2.1.44). */
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "mapi/recur.h"
#include "unit.h"
#include "util/arena.h"
#include "util/time.h"

static uint32_t day(int y, int m, int d)
{
    return (uint32_t)(cck_days1601_from_civil(y, m, d) * 1440);
}

/* Offsets of the fields the mutation tests patch. */
typedef struct offs {
    size_t reader, writer, freq, ptype, caltype, period, specific, endtype, occ, firstdow;
    size_t delcount, deldates, modcount, moddates, start, end, pattern_end;
    size_t rv2, wv2, sto, eto, exccount;
    size_t e1, e1_orig, e1_subjlen, e1_subj, e1_loclen, e1_loc, e2, e2_end, e2_flags;
    size_t ee1, ee1_chsize, ee1_start, ee1_wsubjlen, rb2;
} offs;

typedef struct knobs {
    const char *wide_subject; /* NULL: same as the 8-bit one */
} knobs;

/* Weekly on Mondays from 2023-01-02, 10 occurrences, 10:00-11:00; deleted
 * 01-09, 01-16, 01-30; 01-09 moved to 01-10 with a new subject and location;
 * 01-30 moved to 14:00 with busy status OOF. WriterVersion2 0x3009. */
static void build(blob *b, offs *o, const knobs *k)
{
    memset(b, 0, sizeof *b);
    o->reader = b_u16(b, 0x3004);
    o->writer = b_u16(b, 0x3004);
    o->freq = b_u16(b, 0x200B);
    o->ptype = b_u16(b, 0x0001);
    o->caltype = b_u16(b, 0x0000);
    b_u32(b, 8640); /* FirstDateTime */
    o->period = b_u32(b, 1);
    b_u32(b, 0);                  /* SlidingFlag */
    o->specific = b_u32(b, 0x02); /* Monday */
    o->endtype = b_u32(b, 0x2022);
    o->occ = b_u32(b, 10);
    o->firstdow = b_u32(b, 0);
    o->delcount = b_u32(b, 3);
    o->deldates = b_u32(b, day(2023, 1, 9));
    b_u32(b, day(2023, 1, 16));
    b_u32(b, day(2023, 1, 30));
    o->modcount = b_u32(b, 2);
    o->moddates = b_u32(b, day(2023, 1, 10));
    b_u32(b, day(2023, 1, 30));
    o->start = b_u32(b, day(2023, 1, 2));
    o->end = b_u32(b, day(2023, 3, 6));
    o->pattern_end = b->n;
    o->rv2 = b_u32(b, 0x3006);
    o->wv2 = b_u32(b, 0x3009);
    o->sto = b_u32(b, 600);
    o->eto = b_u32(b, 660);
    o->exccount = b_u16(b, 2);
    /* ExceptionInfo 1: subject + location */
    o->e1 = b_u32(b, day(2023, 1, 10) + 600);
    b_u32(b, day(2023, 1, 10) + 660);
    o->e1_orig = b_u32(b, day(2023, 1, 9) + 600);
    b_u16(b, 0x0011);
    o->e1_subjlen = b_u16(b, 6);
    b_u16(b, 5);
    o->e1_subj = b_bytes(b, "Moved", 5);
    o->e1_loclen = b_u16(b, 7);
    b_u16(b, 6);
    o->e1_loc = b_bytes(b, "Room 1", 6);
    /* ExceptionInfo 2: busy status */
    o->e2 = b_u32(b, day(2023, 1, 30) + 840);
    o->e2_end = b_u32(b, day(2023, 1, 30) + 900);
    b_u32(b, day(2023, 1, 30) + 600);
    o->e2_flags = b_u16(b, 0x0020);
    b_u32(b, 3);
    b_u32(b, 0); /* ReservedBlock1Size */
    /* ExtendedException 1 */
    o->ee1 = b->n;
    o->ee1_chsize = b_u32(b, 4);
    b_u32(b, 0x00000001); /* ChangeHighlightValue */
    b_u32(b, 0);          /* ReservedBlockEE1Size */
    o->ee1_start = b_u32(b, day(2023, 1, 10) + 600);
    b_u32(b, day(2023, 1, 10) + 660);
    b_u32(b, day(2023, 1, 9) + 600);
    const char *ws = k && k->wide_subject ? k->wide_subject : "Moved";
    o->ee1_wsubjlen = b_u16(b, (uint16_t)strlen(ws));
    b_utf16(b, ws);
    b_u16(b, 6);
    b_utf16(b, "Room 1");
    b_u32(b, 0); /* ReservedBlockEE2Size */
    /* ExtendedException 2 */
    b_u32(b, 4);
    b_u32(b, 0);
    b_u32(b, 0);
    o->rb2 = b_u32(b, 0); /* ReservedBlock2Size */
}

static cck_arena *A;

static const cck_apptrecur *parse(const blob *b, cck_problems *pr)
{
    cck_arena_reset(A);
    cck_problems_init(pr, A);
    return cck_apptrecur_parse(b->b, b->n, A, pr);
}

static void dump(const cck_problems *pr)
{
    for (size_t i = 0; i < pr->n; i++)
        printf("#     %s @%llu: %s\n", pr->v[i].code, (unsigned long long)pr->v[i].offset,
               pr->v[i].text);
}

static void test_valid_weekly(void)
{
    blob b;
    offs o;
    build(&b, &o, NULL);
    cck_problems pr;
    const cck_apptrecur *r = parse(&b, &pr);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_EQ_INT(pr.n, 0);
    dump(&pr);
    const cck_recur *p = &r->RecurrencePattern;
    CHECK(p->complete && r->complete);
    CHECK_EQ_INT(p->ReaderVersion, 0x3004);
    CHECK_EQ_INT(p->WriterVersion, 0x3004);
    CHECK_EQ_INT(p->RecurFrequency, CCK_RECUR_FREQ_WEEKLY);
    CHECK_EQ_INT(p->PatternType, CCK_PATTERN_WEEK);
    CHECK_EQ_INT(p->CalendarType, 0);
    CHECK_EQ_INT(p->FirstDateTime, 8640);
    CHECK_EQ_INT(p->Period, 1);
    CHECK_EQ_INT(p->SlidingFlag, 0);
    CHECK_EQ_INT(p->PatternTypeSpecificSize, 4);
    CHECK_EQ_INT(p->DayOfWeek, 0x02);
    CHECK_EQ_INT(p->EndType, CCK_END_AFTER_N);
    CHECK_EQ_INT(p->OccurrenceCount, 10);
    CHECK_EQ_INT(p->FirstDOW, 0);
    CHECK_EQ_INT(p->DeletedInstanceCount, 3);
    CHECK_EQ_INT(p->n_deleted, 3);
    CHECK_EQ_INT(p->DeletedInstanceDates[0], day(2023, 1, 9));
    CHECK_EQ_INT(p->DeletedInstanceDates[1], day(2023, 1, 16));
    CHECK_EQ_INT(p->DeletedInstanceDates[2], day(2023, 1, 30));
    CHECK_EQ_INT(p->ModifiedInstanceCount, 2);
    CHECK_EQ_INT(p->n_modified, 2);
    CHECK_EQ_INT(p->ModifiedInstanceDates[0], day(2023, 1, 10));
    CHECK_EQ_INT(p->ModifiedInstanceDates[1], day(2023, 1, 30));
    CHECK_EQ_INT(p->StartDate, day(2023, 1, 2));
    CHECK_EQ_INT(p->EndDate, day(2023, 3, 6));
    CHECK_EQ_INT(p->size, o.pattern_end);
    CHECK_EQ_INT(r->ReaderVersion2, 0x3006);
    CHECK_EQ_INT(r->WriterVersion2, 0x3009);
    CHECK_EQ_INT(r->StartTimeOffset, 600);
    CHECK_EQ_INT(r->EndTimeOffset, 660);
    CHECK_EQ_INT(r->ExceptionCount, 2);
    CHECK_EQ_INT(r->n_exception_info, 2);
    const cck_exception_info *e1 = &r->ExceptionInfo[0], *e2 = &r->ExceptionInfo[1];
    CHECK_EQ_INT(e1->StartDateTime, day(2023, 1, 10) + 600);
    CHECK_EQ_INT(e1->EndDateTime, day(2023, 1, 10) + 660);
    CHECK_EQ_INT(e1->OriginalStartDate, day(2023, 1, 9) + 600);
    CHECK_EQ_INT(e1->OverrideFlags, CCK_ARO_SUBJECT | CCK_ARO_LOCATION);
    CHECK_EQ_INT(e1->SubjectLength, 6);
    CHECK_EQ_INT(e1->SubjectLength2, 5);
    CHECK_EQ_INT(e1->n_subject, 5);
    CHECK(e1->Subject && memcmp(e1->Subject, "Moved", 5) == 0);
    CHECK_EQ_STR(e1->SubjectUtf8.s, "Moved");
    CHECK_EQ_INT(e1->LocationLength, 7);
    CHECK_EQ_INT(e1->LocationLength2, 6);
    CHECK_EQ_STR(e1->LocationUtf8.s, "Room 1");
    CHECK_EQ_INT(e2->OverrideFlags, CCK_ARO_BUSYSTATUS);
    CHECK_EQ_INT(e2->BusyStatus, 3);
    CHECK_EQ_INT(e2->StartDateTime, day(2023, 1, 30) + 840);
    CHECK_EQ_INT(r->ReservedBlock1Size, 0);
    CHECK_EQ_INT(r->n_extended_exception, 2);
    const cck_extended_exception *x1 = &r->ExtendedException[0], *x2 = &r->ExtendedException[1];
    CHECK(x1->has_change_highlight && x1->has_dates);
    CHECK_EQ_INT(x1->ChangeHighlightSize, 4);
    CHECK_EQ_INT(x1->ChangeHighlightValue, 1);
    CHECK_EQ_INT(x1->StartDateTime, e1->StartDateTime);
    CHECK_EQ_INT(x1->OriginalStartDate, e1->OriginalStartDate);
    CHECK_EQ_INT(x1->WideCharSubjectLength, 5);
    CHECK_EQ_STR(x1->WideCharSubject.s, "Moved");
    CHECK_EQ_INT(x1->WideCharLocationLength, 6);
    CHECK_EQ_STR(x1->WideCharLocation.s, "Room 1");
    CHECK(x2->has_change_highlight && !x2->has_dates && x2->complete);
    CHECK_EQ_INT(r->ReservedBlock2Size, 0);
    CHECK_EQ_INT(r->size, b.n);
}

static void test_pattern_alone(void)
{
    blob b;
    offs o;
    build(&b, &o, NULL);
    cck_problems pr;
    cck_arena_reset(A);
    cck_problems_init(&pr, A);
    const cck_recur *p = cck_recur_parse(b.b, o.pattern_end, A, &pr);
    CHECK(p && p->complete);
    CHECK_EQ_INT(pr.n, 0);
    CHECK_EQ_INT(p->EndDate, day(2023, 3, 6));
    /* The appointment part after it is trailing for a bare pattern. */
    cck_problems_init(&pr, A);
    p = cck_recur_parse(b.b, b.n, A, &pr);
    CHECK(cck_problems_find(&pr, "recur.trailing") != NULL);
    CHECK_EQ_INT(cck_problems_find(&pr, "recur.trailing")->offset, o.pattern_end);
}

/* Applies `patch` to a fresh valid blob and expects problem `code`. */
#define EXPECT(code, patch)                                                                        \
    do {                                                                                           \
        blob b;                                                                                    \
        offs o;                                                                                    \
        build(&b, &o, NULL);                                                                       \
        patch;                                                                                     \
        cck_problems pr;                                                                           \
        CHECK(parse(&b, &pr) != NULL);                                                             \
        if (!cck_problems_find(&pr, code)) {                                                       \
            CHECK(!"missing " code);                                                               \
            dump(&pr);                                                                             \
        }                                                                                          \
    } while (0)

static void test_problems(void)
{
    EXPECT("recur.version", put_u16(&b, o.reader, 0x3005));
    EXPECT("recur.version", put_u16(&b, o.writer, 0x3003));
    EXPECT("recur.version", put_u32(&b, o.rv2, 0x3005));
    EXPECT("recur.version", put_u32(&b, o.wv2, 0x3005));
    EXPECT("recur.bad_frequency", put_u16(&b, o.freq, 0x2010));
    EXPECT("recur.bad_pattern_type", put_u16(&b, o.ptype, 0x0005));
    EXPECT("recur.bad_combination", put_u16(&b, o.freq, CCK_RECUR_FREQ_MONTHLY));
    EXPECT("recur.bad_calendar_type", put_u16(&b, o.caltype, 0x000D));
    EXPECT("recur.bad_period", put_u32(&b, o.period, 0));
    EXPECT("recur.bad_pattern_specific", put_u32(&b, o.specific, 0));
    EXPECT("recur.bad_pattern_specific", put_u32(&b, o.specific, 0x80));
    EXPECT("recur.bad_end_type", put_u32(&b, o.endtype, 0x2024));
    EXPECT("recur.end_mismatch", put_u32(&b, o.endtype, CCK_END_NEVER));
    EXPECT("recur.end_mismatch", put_u32(&b, o.occ, 0));
    EXPECT("recur.end_mismatch", put_u32(&b, o.end, CCK_RECUR_NO_END_DATE));
    EXPECT("recur.bad_first_dow", put_u32(&b, o.firstdow, 7));
    EXPECT("recur.unsorted", put_u32(&b, o.deldates + 4, day(2023, 1, 1)));
    EXPECT("recur.unsorted", put_u32(&b, o.moddates, day(2023, 2, 1)));
    EXPECT("recur.not_midnight", put_u32(&b, o.deldates, day(2023, 1, 9) + 600));
    EXPECT("recur.not_midnight", put_u32(&b, o.start, day(2023, 1, 2) + 1));
    EXPECT("recur.start_after_end", put_u32(&b, o.start, day(2023, 4, 3)));
    EXPECT("recur.modified_not_deleted", put_u32(&b, o.e1_orig, day(2023, 1, 11) + 600));
    EXPECT("recur.exception_not_modified", put_u32(&b, o.moddates, day(2023, 1, 12)));
    EXPECT("recur.count_mismatch", put_u16(&b, o.exccount, 1));
    EXPECT("recur.count_mismatch", put_u16(&b, o.exccount, 3));
    EXPECT("recur.bad_time_offset", put_u32(&b, o.sto, 1500));
    EXPECT("recur.bad_time_offset", put_u32(&b, o.eto, 500));
    EXPECT("recur.subject_length", put_u16(&b, o.e1_subjlen, 7));
    EXPECT("recur.subject_nul", b.b[o.e1_subj + 2] = 0);
    EXPECT("recur.location_length", put_u16(&b, o.e1_loclen, 6));
    EXPECT("recur.location_nul", b.b[o.e1_loc] = 0);
    EXPECT("recur.exception_times", put_u32(&b, o.e2_end, day(2023, 1, 30)));
    EXPECT("recur.bad_override_flags", put_u16(&b, o.e2_flags, 0x0420));
    EXPECT("recur.ee_mismatch", put_u32(&b, o.ee1_start, day(2023, 1, 10) + 630));
    EXPECT("recur.ee_size", put_u32(&b, o.ee1_chsize, 2));
    EXPECT("recur.trailing", b_u8(&b, 0));
    EXPECT("recur.reserved_block", (put_u32(&b, o.rb2, 2), b_u16(&b, 0)));
    /* A count far beyond the bytes: reported, nothing huge allocated. */
    EXPECT("recur.truncated", put_u32(&b, o.delcount, 0x40000000));
    {
        blob b;
        offs o;
        build(&b, &o, NULL);
        put_u32(&b, o.modcount, 0xFFFFFFF0u);
        cck_problems pr;
        CHECK(parse(&b, &pr) != NULL);
        CHECK(cck_problems_find(&pr, "recur.truncated") != NULL);
        CHECK(cck_arena_used(A) < 64 * 1024);
    }
    /* Wide and 8-bit subjects of different lengths. */
    {
        blob b;
        offs o;
        knobs k = {.wide_subject = "Moved!"};
        build(&b, &o, &k);
        cck_problems pr;
        CHECK(parse(&b, &pr) != NULL);
        CHECK(cck_problems_find(&pr, "recur.widechar_length") != NULL);
        CHECK(cck_problems_find(&pr, "recur.truncated") == NULL);
    }
}

static void test_modified_more_than_deleted(void)
{
    /* ModifiedInstanceCount 2 with a single deleted date. */
    blob b;
    memset(&b, 0, sizeof b);
    b_u16(&b, 0x3004);
    b_u16(&b, 0x3004);
    b_u16(&b, CCK_RECUR_FREQ_DAILY);
    b_u16(&b, CCK_PATTERN_DAY);
    b_u16(&b, 0);
    b_u32(&b, 0);
    b_u32(&b, 1440);
    b_u32(&b, 0);
    b_u32(&b, CCK_END_NEVER);
    b_u32(&b, 10);
    b_u32(&b, 0);
    b_u32(&b, 1);
    b_u32(&b, day(2023, 1, 3));
    b_u32(&b, 2);
    b_u32(&b, day(2023, 1, 3));
    b_u32(&b, day(2023, 1, 4));
    b_u32(&b, day(2023, 1, 2));
    b_u32(&b, CCK_RECUR_NO_END_DATE);
    cck_problems pr;
    cck_arena_reset(A);
    cck_problems_init(&pr, A);
    const cck_recur *p = cck_recur_parse(b.b, b.n, A, &pr);
    CHECK(p && p->complete);
    CHECK(cck_problems_find(&pr, "recur.modified_not_deleted") != NULL);
    CHECK(cck_problems_find(&pr, "recur.end_mismatch") == NULL);
    CHECK_EQ_INT(p->PatternTypeSpecificSize, 0);
}

static void test_too_many(void)
{
    /* More deleted dates than CCK_RECUR_MAX_INSTANCES, all present. */
    size_t count = CCK_RECUR_MAX_INSTANCES + 5;
    size_t n = 22 + 4 + 12 + 4 + 4 * count + 4 + 8;
    uint8_t *buf = calloc(1, n);
    blob h;
    memset(&h, 0, sizeof h);
    b_u16(&h, 0x3004);
    b_u16(&h, 0x3004);
    b_u16(&h, CCK_RECUR_FREQ_DAILY);
    b_u16(&h, CCK_PATTERN_DAY);
    b_u16(&h, 0);
    b_u32(&h, 0);
    b_u32(&h, 1440);
    b_u32(&h, 0);
    b_u32(&h, CCK_END_NEVER);
    b_u32(&h, 10);
    b_u32(&h, 0);
    b_u32(&h, (uint32_t)count);
    memcpy(buf, h.b, h.n);
    size_t at = h.n;
    for (size_t i = 0; i < count; i++, at += 4) {
        uint32_t v = day(2000, 1, 1) + (uint32_t)i * 1440;
        buf[at] = (uint8_t)v;
        buf[at + 1] = (uint8_t)(v >> 8);
        buf[at + 2] = (uint8_t)(v >> 16);
        buf[at + 3] = (uint8_t)(v >> 24);
    }
    /* ModifiedInstanceCount 0, StartDate, EndDate */
    uint32_t tail[3] = {0, day(2000, 1, 1), CCK_RECUR_NO_END_DATE};
    for (int i = 0; i < 3; i++, at += 4)
        for (int j = 0; j < 4; j++)
            buf[at + (size_t)j] = (uint8_t)(tail[i] >> (8 * j));
    cck_problems pr;
    cck_arena_reset(A);
    cck_problems_init(&pr, A);
    const cck_recur *p = cck_recur_parse(buf, at, A, &pr);
    CHECK(p && p->complete);
    CHECK(cck_problems_find(&pr, "recur.too_many") != NULL);
    CHECK(p && p->n_deleted == CCK_RECUR_MAX_INSTANCES);
    CHECK(p && p->EndDate == CCK_RECUR_NO_END_DATE);
    CHECK(cck_problems_find(&pr, "recur.trailing") == NULL);
    free(buf);
}

static void test_truncation_everywhere(void)
{
    blob b;
    offs o;
    build(&b, &o, NULL);
    int missing = 0;
    for (size_t n = 0; n < b.n; n++) {
        cck_problems pr;
        cck_arena_reset(A);
        cck_problems_init(&pr, A);
        const cck_apptrecur *r = cck_apptrecur_parse(b.b, n, A, &pr);
        if (!r || !cck_problems_find(&pr, "recur.truncated") || r->complete) {
            if (!missing++)
                printf("#   no recur.truncated at length %zu\n", n);
        }
        cck_problems_init(&pr, A);
        const cck_recur *p = cck_recur_parse(b.b, n < o.pattern_end ? n : o.pattern_end, A, &pr);
        if (n < o.pattern_end && (!p || !cck_problems_find(&pr, "recur.truncated")))
            missing++;
    }
    CHECK_EQ_INT(missing, 0);
}

static void test_emit(void)
{
    blob b;
    offs o;
    build(&b, &o, NULL);
    put_u16(&b, o.e1_subjlen, 9); /* one problem to render */
    cck_problems pr;
    const cck_apptrecur *r = parse(&b, &pr);
    char *json = NULL, *text = NULL;
    EMIT_TO_STRING(json, CCK_EMIT_JSON, cck_apptrecur_emit(r, &pr, e, NULL));
    EMIT_TO_STRING(text, CCK_EMIT_TEXT, cck_apptrecur_emit(r, &pr, e, NULL));
    CHECK(json && strstr(json, "\"RecurFrequency\": 8203"));
    CHECK(json && strstr(json, "\"PatternType\": 1"));
    CHECK(json && strstr(json, "\"WideCharSubject\": \"Moved\""));
    CHECK(json && strstr(json, "\"code\": \"recur.subject_length\""));
    CHECK(json && strstr(json, "\"severity\": \"ERROR\""));
    CHECK(json && json[0] == '{');
    CHECK(text && strstr(text, "RecurFrequency: 0x200B (Weekly)"));
    CHECK(text && strstr(text, "(2023-01-02T00:00)"));
    CHECK(text && strstr(text, "DayOfWeek: 0x02 (Mo)"));
    CHECK(text && strstr(text, "EndType: 0x00002022 (EndAfterNOccurrences)"));
    if (text && !strstr(text, "RecurFrequency: 0x200B (Weekly)"))
        printf("%s", text);
    free(json);
    free(text);
}

static void test_names(void)
{
    CHECK_EQ_STR(cck_recur_frequency_name(0x200D), "Yearly");
    CHECK(cck_recur_frequency_name(0x2009) == NULL);
    CHECK_EQ_STR(cck_recur_pattern_type_name(0x000B), "HjMonthNth");
    CHECK_EQ_STR(cck_recur_calendar_type_name(0x17), "CAL_UMALQURA");
    CHECK(cck_recur_calendar_type_name(0x0D) == NULL);
    CHECK(cck_recur_combination_valid(CCK_RECUR_FREQ_DAILY, CCK_PATTERN_WEEK));
    CHECK(!cck_recur_combination_valid(CCK_RECUR_FREQ_WEEKLY, CCK_PATTERN_DAY));
    CHECK(cck_recur_combination_valid(CCK_RECUR_FREQ_YEARLY, CCK_PATTERN_MONTHNTH));
    CHECK_EQ_INT(cck_recur_pattern_specific_size(CCK_PATTERN_HJMONTHNTH), 8);
    CHECK_EQ_INT(cck_recur_pattern_specific_size(7), -1);
    char buf[64];
    CHECK_EQ_STR(cck_recur_days_fmt(0x3E, buf, sizeof buf), "Mo Tu We Th Fr");
}

int main(void)
{
    A = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    RUN(test_valid_weekly);
    RUN(test_pattern_alone);
    RUN(test_problems);
    RUN(test_modified_more_than_deleted);
    RUN(test_too_many);
    RUN(test_truncation_everywhere);
    RUN(test_emit);
    RUN(test_names);
    cck_arena_free(A);
    return unit_done();
}

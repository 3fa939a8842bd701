/* test_checks_msg.c - message-level checks (message.c): CalCheck 0032-0040,
 * 0056, 0057, 0059, 0062 and the stored-data damage checks 0164/0165;
 * each one triggered, and a near miss that must stay silent. */
#include "checks_fx.h"
#include "mapi/pds.h"

void cck_chk_subject(const cck_item *it, cck_ctx *ctx);
void cck_chk_message_class(const cck_item *it, cck_ctx *ctx);
void cck_chk_attachments(const cck_item *it, cck_ctx *ctx);
void cck_chk_size(const cck_item *it, cck_ctx *ctx);
void cck_chk_pds(const cck_item *it, cck_ctx *ctx);
void cck_chk_delivery_time(const cck_item *it, cck_ctx *ctx);
void cck_chk_conflict(const cck_item *it, cck_ctx *ctx);
void cck_chk_container(const cck_item *it, cck_ctx *ctx);

static void test_0032_subject(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    it.subject.has = CCK_ABSENT;
    fx_run(cck_chk_subject, &it); /* ends 2026-12-03, after now */
    CHECK_EQ_INT(fx_count(32), 1);
    CHECK(fx_has(32, "ending 2026-12-03 10:00:00 UTC"));
    CHECK_EQ_INT(fx_find(32) ? (int)fx_find(32)->sev : -1, CCK_SEV_WARNING);
    /* Past, not recurring: no finding. */
    it.end.ft = fx_ft(2026, 1, 5, 10, 0);
    fx_run(cck_chk_subject, &it);
    CHECK_EQ_INT(fx_count(32), 0);
    /* Past but recurring: finding. */
    it.recurring.v = true;
    it.subject = fx_s(" ");
    fx_run(cck_chk_subject, &it);
    CHECK_EQ_INT(fx_count(32), 1);
    CHECK(fx_has(32, "recurring item"));
    it.subject = fx_s("x");
    fx_run(cck_chk_subject, &it);
    CHECK_EQ_INT(fx_count(32), 0);
}

static void test_0033_0035_class(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    it.message_class.has = CCK_ABSENT;
    fx_run(cck_chk_message_class, &it);
    CHECK_EQ_INT(fx_count(35), 1);
    it.message_class = fx_s("");
    fx_run(cck_chk_message_class, &it);
    CHECK_EQ_INT(fx_count(33), 1);
    CHECK_EQ_INT(fx_count(35), 0);
    it.message_class = fx_s("IPM.Note");
    fx_run(cck_chk_message_class, &it);
    CHECK_EQ_INT(fx_count(34), 1);
    CHECK(fx_has(34, "\"IPM.Note\""));
    it.message_class = fx_s("IPM.AppointmentX");
    fx_run(cck_chk_message_class, &it);
    CHECK_EQ_INT(fx_count(34), 1);
    /* Near misses: any case, and subclasses. */
    it.message_class = fx_s("ipm.appointment");
    fx_run(cck_chk_message_class, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.message_class = fx_s("IPM.Appointment.Contoso.Room");
    fx_run(cck_chk_message_class, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
}

static void test_0036_0037_attachments(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    it.attachs_unreadable = true;
    it.attachs_why = "storage __attach_version1.0_#00000002 is missing";
    fx_run(cck_chk_attachments, &it);
    CHECK_EQ_INT(fx_count(36), 1);
    CHECK(fx_has(36, "__attach_version1.0_#00000002"));
    it.attachs_unreadable = false;
    it.n_attachs = 26;
    fx_run(cck_chk_attachments, &it); /* not recurring */
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.recurring.v = true;
    fx_run(cck_chk_attachments, &it);
    CHECK_EQ_INT(fx_count(37), 1);
    CHECK(fx_has(37, "26 attachments"));
    it.n_attachs = 25;
    fx_run(cck_chk_attachments, &it);
    CHECK_EQ_INT(fx_count(37), 0);
}

static void test_0038_0040_size(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    /* Absent size: skipped. */
    fx_run(cck_chk_size, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.message_size = fx_i(10 * 1048576 - 1);
    fx_run(cck_chk_size, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.message_size = fx_i(10 * 1048576);
    fx_run(cck_chk_size, &it);
    CHECK_EQ_INT(fx_count(40), 1);
    CHECK(fx_has(40, "10.0 MB (10485760 bytes"));
    it.message_size = fx_i(25 * 1048576);
    fx_run(cck_chk_size, &it);
    CHECK_EQ_INT(fx_count(39), 1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 1); /* the highest limit only */
    it.message_size = fx_i(60LL * 1048576);
    fx_run(cck_chk_size, &it);
    CHECK_EQ_INT(fx_count(38), 1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 1);
}

static void test_0056_0057_pds(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    cck_arena *a = cck_arena_new(1 << 20);
    /* PropDefV2, one field whose NmidNameLength is 3 but whose three
     * characters are NULs - the shape that crashes Outlook. */
    static const uint8_t bad[] = {
        0x03, 0x01, 0x01, 0x00, 0x00, 0x00,                         /* Version, count 1 */
        0x45, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, /* Flags, VT, DispId */
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             /* NmidNameLength 3, NULs */
        0x03, 'F',  'l',  'd',  0x00, 0x00, 0x00, 0x00,             /* NameANSI, 4 empty */
        0x00, 0x00, 0x00, 0x00,                                     /* InternalType */
        0x07, 0x00, 0x00, 0x00, 0x03, 'F',  0x00, 'l',  0x00, 'd',  0x00, /* SkipBlock */
        0x00, 0x00, 0x00, 0x00};
    cck_problems_init(&it.pds.problems, a);
    it.pds.raw.has = CCK_PRESENT;
    it.pds.raw.p = bad;
    it.pds.raw.n = sizeof bad;
    it.pds.v = cck_pds_parse(bad, sizeof bad, a, &it.pds.problems);
    fx_run(cck_chk_pds, &it);
    CHECK_EQ_INT(fx_count(56), 1);
    CHECK(fx_has(56, "1 field with a name length but no name; first at offset 16"));
    CHECK_EQ_INT(fx_count(57), 0);
    /* The same stream cut short: 0057. */
    cck_problems_init(&it.pds.problems, a);
    it.pds.raw.n = 30;
    it.pds.v = cck_pds_parse(bad, 30, a, &it.pds.problems);
    fx_run(cck_chk_pds, &it);
    CHECK_EQ_INT(fx_count(57), 1);
    it.pds.raw.n = sizeof bad;

    /* Problems recorded by hand: the mapping from codes to ids. */
    cck_problems_init(&it.pds.problems, a);
    cck_problems_add(&it.pds.problems, CCK_SEV_ERROR, "pds.empty_name", 12,
                     "field 1 has NmidNameLength 5 but an empty name");
    cck_problems_add(&it.pds.problems, CCK_SEV_ERROR, "pds.empty_name", 40,
                     "field 2 has NmidNameLength 3 but an empty name");
    fx_run(cck_chk_pds, &it);
    CHECK_EQ_INT(fx_count(56), 1);
    CHECK(fx_has(56, "2 fields"));
    CHECK(fx_has(56, "offset 12"));
    CHECK_EQ_INT(fx_count(57), 0);
    cck_problems_init(&it.pds.problems, a);
    cck_problems_add(&it.pds.problems, CCK_SEV_ERROR, "pds.truncated", 30,
                     "stream ends inside field 2");
    fx_run(cck_chk_pds, &it);
    CHECK_EQ_INT(fx_count(57), 1);
    CHECK(fx_has(57, "stream ends inside field 2"));
    /* Near miss: trailing bytes are a warning of the parser, not 0057. */
    cck_problems_init(&it.pds.problems, a);
    cck_problems_add(&it.pds.problems, CCK_SEV_WARNING, "pds.trailing", 30, "2 bytes follow");
    fx_run(cck_chk_pds, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    cck_arena_free(a);
}

static void test_0059_0062(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    fx_run(cck_chk_delivery_time, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.delivery.has = CCK_ABSENT;
    fx_run(cck_chk_delivery_time, &it);
    CHECK_EQ_INT(fx_count(59), 1);

    it.message_status = fx_i(0x1000);
    fx_run(cck_chk_conflict, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.message_status = fx_i(0x1800);
    fx_run(cck_chk_conflict, &it);
    CHECK_EQ_INT(fx_count(62), 1);
    CHECK(fx_has(62, "0x1800"));
}

static void test_0164_0165_damage(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    cck_arena *a = cck_arena_new(1 << 20);
    cck_problems pr, ex_pr;
    cck_problems_init(&pr, a);
    cck_problems_init(&ex_pr, a);
    it.container_problems = &pr;
    fx_run(cck_chk_container, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    /* INFO problems (an entry size Outlook itself writes) are ignored. */
    cck_problems_add(&pr, CCK_SEV_INFO, "msg.size_mismatch", 0, "property declares 10 bytes");
    fx_run(cck_chk_container, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    cck_problems_add(&pr, CCK_SEV_ERROR, "msg.missing_stream", 0,
                     "stream __substg1.0_0037001F is missing");
    cck_problems_add(&pr, CCK_SEV_WARNING, "msg.named_unresolved", 0, "named id 0x8007 unknown");
    cck_item ex;
    memset(&ex, 0, sizeof ex);
    ex.locator = "attachment 1";
    ex.container_problems = &ex_pr;
    cck_problems_add(&ex_pr, CCK_SEV_ERROR, "cfb.chain_cycle", 0, "sector chain loops");
    it.exceptions = &ex;
    it.n_exceptions = 1;
    fx_run(cck_chk_container, &it);
    CHECK_EQ_INT(fx_count(164), 1);
    CHECK(fx_has(164, "2 problems"));
    CHECK(fx_has(164, "msg.missing_stream"));
    CHECK(fx_has(164, "attachment 1: cfb.chain_cycle"));
    CHECK_EQ_INT(fx_count(165), 1);
    CHECK(fx_has(165, "msg.named_unresolved"));
    cck_arena_free(a);
}

int main(void)
{
    RUN(test_0032_subject);
    RUN(test_0033_0035_class);
    RUN(test_0036_0037_attachments);
    RUN(test_0038_0040_size);
    RUN(test_0056_0057_pds);
    RUN(test_0059_0062);
    RUN(test_0164_0165_damage);
    fx_teardown();
    return unit_done();
}

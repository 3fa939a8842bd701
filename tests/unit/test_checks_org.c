/* test_checks_org.c - organizer and recipient checks (organizer.c): CalCheck
 * 0028-0031, 0041, 0042, 0050-0054, 0058 and the address checks 0170-0177;
 * each one triggered, and a near miss that must stay silent. */
#include "checks_fx.h"

void cck_chk_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_recip_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_attendee_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_recipients(const cck_item *it, cck_ctx *ctx);

static void test_clean_meeting_is_silent(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[4];
    fx_meeting(&it, rs, 4);
    static const char *const own[] = {"SMTP:ada@example.org"};
    fx_cal.owner_addresses = own;
    fx_cal.n_owner_addresses = 1;
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_run(cck_chk_recip_organizer, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_run(cck_chk_attendee_organizer, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
}

static void test_0028_0031(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    it.sent_rep_name.has = CCK_ABSENT;
    it.sender_name = fx_s("  ");
    it.sent_rep_email = fx_s("");
    it.sent_rep_smtp.has = CCK_ABSENT;
    it.sender_email.has = CCK_ABSENT;
    it.sender_smtp.has = CCK_ABSENT;
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(fx_count(28), 1);
    CHECK(fx_has(28, "PidTagSentRepresentingName absent"));
    CHECK_EQ_INT(fx_count(29), 1);
    CHECK(fx_has(29, "empty"));
    CHECK_EQ_INT(fx_count(30), 1);
    CHECK_EQ_INT(fx_count(31), 1);

    /* Near miss: not a meeting (state flags 0 / received bit only). */
    it.state_flags = fx_i(0);
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.state_flags = fx_i(CCK_ASF_RECEIVED);
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);

    /* Near miss: an SMTP address alone is an organizer address. */
    fx_meeting(&it, NULL, 0);
    it.sent_rep_email.has = CCK_ABSENT;
    it.sender_email.has = CCK_ABSENT;
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(fx_count(30), 0);
    CHECK_EQ_INT(fx_count(31), 0);
}

static void test_0041_per_item(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[3];
    fx_meeting(&it, rs, 3);
    rs[0].email = fx_s("mallory@example.org");
    rs[0].smtp = fx_s("mallory@example.org");
    fx_run(cck_chk_recip_organizer, &it);
    CHECK_EQ_INT(fx_count(41), 1);
    CHECK(fx_has(41, "\"mallory@example.org\""));
    CHECK(fx_has(41, "\"ada@example.org\""));

    /* The next item must not inherit the previous item's values. */
    cck_item it2;
    cck_recip rs2[2];
    fx_meeting(&it2, rs2, 2);
    fx_run(cck_chk_recip_organizer, &it2);
    CHECK_EQ_INT(fx_count(41), 0);

    /* Case differences do not count; EX rows compare by their SMTP address. */
    rs2[0] = fx_recip("Ada Lovelace", "EX", "/o=Org/ou=X/cn=Recipients/cn=ada", "ADA@Example.org",
                      CCK_RECIP_ORGANIZER);
    fx_run(cck_chk_recip_organizer, &it2);
    CHECK_EQ_INT(fx_count(41), 0);

    /* An SMTP row against an EX organizer with no SMTP: not comparable. */
    it2.sent_rep_addrtype = fx_s("EX");
    it2.sent_rep_email = fx_s("/o=Org/ou=X/cn=Recipients/cn=ada");
    it2.sent_rep_smtp.has = CCK_ABSENT;
    rs2[0] = fx_recip("Ada Lovelace", "SMTP", "ada@example.org", NULL, CCK_RECIP_ORGANIZER);
    fx_run(cck_chk_recip_organizer, &it2);
    CHECK_EQ_INT(fx_count(41), 0);
    /* Two EX addresses that differ are compared. */
    rs2[0] = fx_recip("Ada Lovelace", "EX", "/o=Org/ou=X/cn=Recipients/cn=bob", NULL,
                      CCK_RECIP_ORGANIZER);
    fx_run(cck_chk_recip_organizer, &it2);
    CHECK_EQ_INT(fx_count(41), 1);
}

static void test_0042(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    /* No owner addresses known: no finding. */
    fx_run(cck_chk_attendee_organizer, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);

    static const char *const own[] = {"/o=Org/ou=X/cn=Recipients/cn=grace",
                                      "smtp:grace@example.org"};
    fx_cal.owner_addresses = own;
    fx_cal.n_owner_addresses = 2;
    fx_run(cck_chk_attendee_organizer, &it);
    CHECK_EQ_INT(fx_count(42), 1);
    CHECK(fx_has(42, "ada@example.org"));

    /* Near misses: received, forwarded, or really organized by the owner. */
    it.state_flags = fx_i(CCK_ASF_MEETING | CCK_ASF_RECEIVED);
    fx_run(cck_chk_attendee_organizer, &it);
    CHECK_EQ_INT(fx_count(42), 0);
    it.state_flags = fx_i(CCK_ASF_MEETING | CCK_ASF_FORWARD);
    fx_run(cck_chk_attendee_organizer, &it);
    CHECK_EQ_INT(fx_count(42), 0);
    it.state_flags = fx_i(CCK_ASF_MEETING);
    it.sent_rep_email = fx_s("/O=ORG/OU=X/CN=RECIPIENTS/CN=GRACE");
    it.sent_rep_addrtype = fx_s("EX");
    it.sent_rep_smtp.has = CCK_ABSENT;
    fx_run(cck_chk_attendee_organizer, &it);
    CHECK_EQ_INT(fx_count(42), 0);
}

static void test_0042_not_comparable(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    /* Organizer known only by X500, owner only by SMTP: cannot tell. */
    it.sent_rep_addrtype = fx_s("EX");
    it.sent_rep_email = fx_s("/o=Org/ou=X/cn=Recipients/cn=ada");
    it.sent_rep_smtp.has = CCK_ABSENT;
    static const char *const own[] = {"grace@example.org"};
    fx_cal.owner_addresses = own;
    fx_cal.n_owner_addresses = 1;
    fx_run(cck_chk_attendee_organizer, &it);
    CHECK_EQ_INT(fx_count(42), 0);
}

static void test_0050_0058_address_type(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[5];
    fx_meeting(&it, rs, 5);
    rs[1].addrtype = fx_s("");
    rs[2].addrtype = fx_s("SM TP");
    rs[3].addrtype = fx_s("X400");
    rs[4].addrtype = fx_s("smtp"); /* case does not matter */
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(50), 2);
    CHECK(fx_has(50, "recipient 2 \"Grace Hopper\" has address type \"\" (empty)"));
    CHECK(fx_has(50, "recipient 3 \"Charles Babbage\" has address type \"SM TP\""));
    CHECK_EQ_INT(fx_count(58), 1);
    CHECK(fx_has(58, "recipient 4 \"Alan Turing\" has address type \"X400\""));
}

static void test_0051_0053_address(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[5];
    fx_meeting(&it, rs, 5);
    rs[1].email.has = CCK_ABSENT;
    rs[1].smtp.has = CCK_ABSENT;
    rs[2].email = fx_s("charles.example.net");
    rs[2].smtp.has = CCK_ABSENT;
    rs[3].email = fx_s("alan @example.org");
    rs[3].smtp.has = CCK_ABSENT;
    rs[4].email = fx_s("a@b@example.nl");
    rs[4].smtp.has = CCK_ABSENT;
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(51), 4);
    CHECK(fx_has(51, "recipient 2 \"Grace Hopper\" has no address"));
    CHECK(fx_has(51, "\"charles.example.net\" that has no '@'"));
    CHECK(fx_has(51, "white space"));
    CHECK(fx_has(51, "more than one '@'"));
    CHECK_EQ_INT(fx_count(53), 0);

    /* The organizer row without an address is 0053 (and not also 0051). */
    fx_meeting(&it, rs, 2);
    rs[0].email.has = CCK_ABSENT;
    rs[0].smtp = fx_s("");
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(53), 1);
    CHECK(fx_has(53, "recipient 1 \"Ada Lovelace\""));
    CHECK_EQ_INT(fx_count(51), 0);
    /* ... unless 0053 is switched off. */
    cck_config_disable(&fx_cfg, "0053");
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(53), 0);
    CHECK_EQ_INT(fx_count(51), 1);

    /* Near miss: an EX address is not judged as SMTP. */
    fx_setup();
    fx_meeting(&it, rs, 2);
    rs[1] = fx_recip("Grace Hopper", "EX", "/o=Org/ou=X/cn=Recipients/cn=grace",
                     "grace@example.org", CCK_RECIP_SENDABLE);
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
}

static void test_0052_display_name(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[3];
    fx_meeting(&it, rs, 3);
    rs[2].display_name.has = CCK_ABSENT;
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(52), 1);
    CHECK(fx_has(52, "recipient 3 <charles@example.net> has no display name"));
    rs[2].display_name = fx_s("C");
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(52), 0);
}

static void test_0054_duplicates_every_row(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[6];
    fx_meeting(&it, rs, 6);
    /* rows 2 and 6 are both Grace (case differs), row 4 repeats row 3. */
    rs[5] = fx_recip("Grace H.", "smtp", "GRACE@example.org", NULL, CCK_RECIP_SENDABLE);
    rs[3] = rs[2];
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(54), 2);
    CHECK(fx_has(54, "recipient 6 \"Grace H.\" <GRACE@example.org> repeats recipient 2"));
    CHECK(fx_has(54, "recipient 4 \"Charles Babbage\" <charles@example.net> repeats recipient 3"));
    /* Near miss: same address under a different address type. */
    rs[3] = fx_recip("Charles", "X400", "charles@example.net", NULL, CCK_RECIP_SENDABLE);
    rs[5].addrtype = fx_s("EX");
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(54), 0);
}

static void test_0054_large_table(void)
{
    /* 3,000 rows with one repeat: sorted, not quadratic, still exact. */
    fx_setup();
    enum { N = 3000 };
    static cck_recip rs[N];
    static char addr[N][32];
    cck_item it;
    fx_meeting(&it, rs, 1);
    for (int i = 1; i < N; i++) {
        snprintf(addr[i], sizeof addr[i], "user%d@example.org", i);
        rs[i] = fx_recip("User", "SMTP", addr[i], addr[i], CCK_RECIP_SENDABLE);
    }
    rs[N - 1] = fx_recip("User", "SMTP", addr[17], addr[17], CCK_RECIP_SENDABLE);
    it.n_recips = N;
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(54), 1);
    CHECK(fx_has(54, "recipient 3000 \"User\" <user17@example.org> repeats recipient 18"));
}

static void test_0170_0172_organizer_smtp(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[2];
    fx_meeting(&it, rs, 2);
    it.sent_rep_smtp = fx_s(" ");
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(fx_count(170), 1);
    CHECK_EQ_INT(fx_count(171), 0); /* the SMTP-typed email is fine */

    it.sent_rep_smtp = fx_s("ada@example..org");
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(fx_count(170), 0);
    CHECK_EQ_INT(fx_count(171), 1);
    CHECK(fx_has(171, "\"ada@example..org\" has an empty label"));

    /* Organizer known only by X500: 0172, unless the organizer row has SMTP. */
    fx_meeting(&it, rs, 2);
    it.sent_rep_addrtype = fx_s("EX");
    it.sent_rep_email = fx_s("/o=Org/ou=X/cn=Recipients/cn=ada");
    it.sent_rep_smtp.has = CCK_ABSENT;
    rs[0] = fx_recip("Ada Lovelace", "EX", "/o=Org/ou=X/cn=Recipients/cn=ada", NULL,
                     CCK_RECIP_ORGANIZER);
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(fx_count(172), 1);
    CHECK(fx_has(172, "\"/o=Org/ou=X/cn=Recipients/cn=ada\""));
    rs[0].smtp = fx_s("ada@example.org");
    fx_run(cck_chk_organizer, &it);
    CHECK_EQ_INT(fx_count(172), 0);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
}

static void test_0173_0174_attendee_smtp(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[4];
    fx_meeting(&it, rs, 4);
    rs[1] = fx_recip("Grace Hopper", "EX", "/o=Org/ou=X/cn=Recipients/cn=grace", "",
                     CCK_RECIP_SENDABLE);
    rs[2] = fx_recip("Charles Babbage", "EX", "/o=Org/ou=X/cn=Recipients/cn=charles",
                     "charles@exa mple.net", CCK_RECIP_SENDABLE);
    /* An SMTP row whose bad address is already 0051: no 0174 as well. */
    rs[3].email = fx_s("alan@");
    rs[3].smtp = fx_s("alan@");
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(173), 1);
    CHECK(fx_has(173, "recipient 2 \"Grace Hopper\""));
    CHECK_EQ_INT(fx_count(174), 1);
    CHECK(fx_has(174, "recipient 3 \"Charles Babbage\" has SMTP address \"charles@exa mple.net\""));
    CHECK_EQ_INT(fx_count(51), 1);
    CHECK(fx_has(51, "nothing after '@'"));
}

static void test_0175_track_status(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[4];
    fx_meeting(&it, rs, 4);
    rs[2].track_status = fx_i(0);
    rs[3].track_status.has = CCK_ABSENT;
    rs[0].track_status = fx_i(0); /* the organizer row does not count */
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(175), 1);
    CHECK(fx_has(175, "2 of 3 attendees"));
    CHECK(fx_has(175, "\"Charles Babbage\", \"Alan Turing\""));
    CHECK_EQ_INT(fx_find(175) ? (int)fx_find(175)->sev : -1, CCK_SEV_INFO);
    /* A received meeting does not track responses. */
    it.state_flags = fx_i(CCK_ASF_MEETING | CCK_ASF_RECEIVED);
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(175), 0);
}

static void test_0176_0177(void)
{
    fx_setup();
    cck_item it;
    cck_recip rs[3];
    fx_meeting(&it, rs, 3);
    rs[2].flags = fx_i(CCK_RECIP_ORGANIZER | CCK_RECIP_SENDABLE);
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(177), 1);
    CHECK(fx_has(177, "2 recipients are flagged as organizer"));
    it.recips_unreadable = true;
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(fx_count(176), 1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 1);
    /* Near miss: a plain appointment's recipient table is not judged. */
    it.recips_unreadable = false;
    it.state_flags = fx_i(0);
    fx_run(cck_chk_recipients, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
}

int main(void)
{
    RUN(test_clean_meeting_is_silent);
    RUN(test_0028_0031);
    RUN(test_0041_per_item);
    RUN(test_0042);
    RUN(test_0042_not_comparable);
    RUN(test_0050_0058_address_type);
    RUN(test_0051_0053_address);
    RUN(test_0052_display_name);
    RUN(test_0054_duplicates_every_row);
    RUN(test_0054_large_table);
    RUN(test_0170_0172_organizer_smtp);
    RUN(test_0173_0174_attendee_smtp);
    RUN(test_0175_track_status);
    RUN(test_0176_0177);
    fx_teardown();
    return unit_done();
}

/* test_davxml.c - WebDAV multistatus bodies (src/sources/davxml.h): a PROPFIND answer with
 * principal properties, a calendar listing, a calendar-query REPORT with calendar-data, and the
 * bodies refused (not XML, not multistatus, a DTD with entities, no href). */
#include <string.h>

#include "sources/davxml.h"
#include "unit.h"

static cck_dav_ms *parse(const char *xml, const char **why)
{
    cck_dav_ms *m = NULL;
    *why = NULL;
    if (cck_dav_ms_parse(xml, strlen(xml), &m, why) != 0)
        return NULL;
    return m;
}

static void test_principal(void)
{
    const char *why;
    cck_dav_ms *m =
        parse("<?xml version='1.0' encoding='utf-8'?>\n"
              "<multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><response>"
              "<href>/u01/</href><propstat><prop><resourcetype><principal /><collection />"
              "</resourcetype><current-user-principal><href>/admin/</href></current-user-principal>"
              "<C:calendar-home-set><href> /u01/ </href></C:calendar-home-set>"
              "<C:calendar-user-address-set><href>mailto:u01@example.org</href><href>/u01/</href>"
              "</C:calendar-user-address-set></prop><status>HTTP/1.1 200 OK</status></propstat>"
              "<propstat><prop><displayname>not found</displayname></prop>"
              "<status>HTTP/1.1 404 Not Found</status></propstat></response></multistatus>",
              &why);
    CHECK(m != NULL);
    CHECK_EQ_INT(cck_dav_ms_count(m), 1);
    const cck_dav_resp *r = cck_dav_ms_at(m, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(r->href, "/u01/");
        CHECK_EQ_INT(r->status, 200);
        CHECK(r->principal && r->collection && !r->calendar);
        CHECK_EQ_STR(r->user_principal, "/admin/");
        CHECK_EQ_STR(r->home, "/u01/");
        CHECK_EQ_INT(r->n_addresses, 2);
        if (r->n_addresses == 2)
            CHECK_EQ_STR(r->addresses[0], "mailto:u01@example.org");
        CHECK(r->displayname == NULL); /* only from a 2xx propstat */
    }
    CHECK(cck_dav_ms_at(m, 1) == NULL);
    cck_dav_ms_free(m);
}

static void test_calendars_and_data(void)
{
    const char *why;
    cck_dav_ms *m = parse(
        "<D:multistatus xmlns:D=\"DAV:\" xmlns:X=\"urn:ietf:params:xml:ns:caldav\">"
        "<D:response><D:href>/u01/cal/</D:href><D:propstat><D:prop><D:resourcetype><X:calendar/>"
        "<D:collection/></D:resourcetype><X:supported-calendar-component-set>"
        "<X:comp name=\"VTODO\"/></X:supported-calendar-component-set>"
        "<D:displayname>Tasks &amp; more</D:displayname></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        "<D:response><D:href>/u01/cal/a.ics</D:href><D:propstat><D:prop>"
        "<D:getetag>\"e1\"</D:getetag><X:calendar-data><![CDATA[BEGIN:VCALENDAR\n"
        "END:VCALENDAR\n]]></X:calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
        "</D:propstat></D:response>"
        "<D:response><D:href>/u01/cal/gone.ics</D:href><D:status>HTTP/1.1 404 Not Found"
        "</D:status></D:response></D:multistatus>",
        &why);
    CHECK(m != NULL);
    CHECK_EQ_INT(cck_dav_ms_count(m), 3);
    const cck_dav_resp *c = cck_dav_ms_at(m, 0), *a = cck_dav_ms_at(m, 1), *g = cck_dav_ms_at(m, 2);
    if (c && a && g) {
        CHECK(c->calendar && c->collection && !c->vevent);
        CHECK_EQ_STR(c->displayname, "Tasks & more");
        CHECK_EQ_STR(a->etag, "\"e1\"");
        CHECK_EQ_STR(a->data, "BEGIN:VCALENDAR\nEND:VCALENDAR\n");
        CHECK_EQ_INT(a->data_len, 30);
        CHECK(a->vevent); /* no component set: anything goes */
        CHECK_EQ_INT(g->status, 404);
        CHECK(g->data == NULL);
    }
    cck_dav_ms_free(m);
}

static void test_refused(void)
{
    const char *why;
    CHECK(parse("<html>Internal Server Error", &why) == NULL);
    CHECK_EQ_STR(why, "the answer is not well-formed XML");
    CHECK(parse("<error xmlns=\"DAV:\"/>", &why) == NULL);
    CHECK_EQ_STR(why, "the answer is XML but not a DAV:multistatus");
    CHECK(parse("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"aaaa\">]>"
                "<multistatus xmlns=\"DAV:\">&a;</multistatus>",
                &why) == NULL);
    CHECK_EQ_STR(why, "the XML declares a DTD or entities, which calcheck refuses");
    CHECK(parse("<multistatus xmlns=\"DAV:\"><response><status>HTTP/1.1 200 OK</status>"
                "</response></multistatus>",
                &why) == NULL);
    CHECK_EQ_STR(why, "a response without an href");
    cck_dav_ms *m = parse("<multistatus xmlns=\"DAV:\"/>", &why);
    CHECK(m != NULL);
    CHECK_EQ_INT(cck_dav_ms_count(m), 0);
    cck_dav_ms_free(m);
}

int main(void)
{
    RUN(test_principal);
    RUN(test_calendars_and_data);
    RUN(test_refused);
    return unit_done();
}

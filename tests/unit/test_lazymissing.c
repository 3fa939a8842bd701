/* test_lazymissing.c - calcheck without libcurl, libxml2 and libpff: the
 * descriptors (util/lazylib.h) are pointed at sonames that do not exist
 * before anything loads them. The entry points then fail with "cannot load
 * NAME (...)" - a PST/OST open, a CalDAV start, a multistatus parse, a mail -
 * and every trampoline returns its function's failure value without a crash
 * and without the real library ever entering the process. */
#define _GNU_SOURCE /* RTLD_NOLOAD */
#include <curl/curl.h>
#include <dlfcn.h>
#include <libpff.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "report/mail.h"
#include "sources/caldav.h"
#include "sources/davxml.h"
#include "sources/pst.h"
#include "lazy_fx.h"
#include "unit.h"
#include "util/lazylib.h"

static bool starts(const char *s, const char *prefix)
{
    return s && !strncmp(s, prefix, strlen(prefix));
}

static void test_entry_points_say_why(void)
{
    char path[] = "/tmp/calcheck-nopff-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK_EQ_INT(write(fd, "!BDN", 4), 4);
    close(fd);
    const char *why = NULL;
    CHECK(cck_pst_open(path, &why) == NULL);
    CHECK(starts(why, "cannot load libpff (libcalcheck-missing-pff.so.1: cannot open shared "
                      "object file"));
    unlink(path);
    /* A file that is not there is still that, not a library problem. */
    CHECK(cck_pst_open("/nonexistent/x.pst", &why) == NULL);
    CHECK(starts(why, "cannot open: "));
    CHECK(cck_pst_open_mem("!BDN", 4, &why) == NULL);
    CHECK(starts(why, "cannot load libpff ("));

    char err[CCK_LAZYLIB_ERR_MAX] = "";
    CHECK_EQ_INT(cck_caldav_global_init(err, sizeof err), -1);
    CHECK(starts(err, "cannot load libcurl (libcalcheck-missing-curl.so.4: "));

    cck_dav_ms *ms = NULL;
    const char *body = "<multistatus xmlns=\"DAV:\"/>";
    CHECK_EQ_INT(cck_dav_ms_parse(body, strlen(body), &ms, &why), -1);
    CHECK(ms == NULL);
    CHECK(starts(why, "cannot load libxml2 (libcalcheck-missing-xml.so.2: "));

    cck_mail_cfg c;
    cck_mail_cfg_init(&c);
    c.host = "127.0.0.1";
    c.port = 9;
    c.from = "calcheck@example.org";
    char mwhy[CCK_MAIL_WHY_MAX] = "";
    CHECK_EQ_INT(cck_mail_send(&c, "anna@example.org", "x\r\n", 3, mwhy, sizeof mwhy), -1);
    CHECK(starts(mwhy, "cannot load libcurl ("));
}

static void test_trampolines_fail_safely(void)
{
    CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_FAILED_INIT);
    CHECK(curl_easy_init() == NULL);
    CHECK(curl_easy_setopt(NULL, CURLOPT_URL, "http://x/") == CURLE_FAILED_INIT);
    CHECK(curl_easy_setopt(NULL, CURLOPT_TIMEOUT, 1L) == CURLE_FAILED_INIT);
    CHECK(curl_easy_perform(NULL) == CURLE_FAILED_INIT);
    long code = 7;
    CHECK(curl_easy_getinfo(NULL, CURLINFO_RESPONSE_CODE, &code) == CURLE_FAILED_INIT);
    CHECK_EQ_INT(code, 7);
    CHECK(curl_easy_strerror(CURLE_OK) != NULL);
    CHECK(curl_slist_append(NULL, "A: b") == NULL);
    CHECK(curl_url() == NULL);
    char *part = (char *)"garbage";
    CHECK(curl_url_get(NULL, CURLUPART_HOST, &part, 0) == CURLUE_OUT_OF_MEMORY);
    CHECK(part == NULL);
    CHECK(curl_url_set(NULL, CURLUPART_URL, "http://x/", 0) == CURLUE_OUT_OF_MEMORY);
    curl_free(NULL);
    curl_slist_free_all(NULL);
    curl_url_cleanup(NULL);
    curl_easy_cleanup(NULL);

    CHECK(xmlReadMemory("<a/>", 4, "a.xml", NULL, 0) == NULL);
    CHECK(xmlDocGetRootElement(NULL) == NULL);
    CHECK(xmlNodeGetContent(NULL) == NULL);
    CHECK(xmlGetNoNsProp(NULL, (const xmlChar *)"name") == NULL);
    xmlFreeDoc(NULL);
    cck_xml_free(NULL);

    libpff_file_t *file = NULL;
    libpff_error_t *e = NULL;
    CHECK_EQ_INT(libpff_file_initialize(&file, &e), -1);
    CHECK(file == NULL && e == NULL);
    CHECK_EQ_INT(libpff_check_file_signature("/dev/null", &e), -1);
    CHECK_EQ_INT(libpff_item_free(NULL, &e), -1);
    char text[16] = "";
    CHECK_EQ_INT(libpff_error_sprint(NULL, text, sizeof text), -1);
    libpff_error_free(&e);

    CHECK(!in_process("libcurl.so.4"));
    CHECK(!in_process("libxml2.so.2"));
    CHECK(!in_process("libpff.so.1"));
}

int main(void)
{
    /* Before anything loads them: libraries that cannot be found. */
    cck_lazy_curl.soname = "libcalcheck-missing-curl.so.4";
    cck_lazy_xml.soname = "libcalcheck-missing-xml.so.2";
    cck_lazy_pff.soname = "libcalcheck-missing-pff.so.1";
    RUN(test_entry_points_say_why);
    RUN(test_trampolines_fail_safely);
    return unit_done();
}

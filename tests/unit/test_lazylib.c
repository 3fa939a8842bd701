/* test_lazylib.c - libraries loaded on first use (util/lazylib.h): a missing
 * library fails with "cannot load NAME (dlerror)" every time without a second
 * try, a present one loads once from many threads; libcurl and libpff are not
 * in the process until their first call, and the trampolines then reach the
 * real functions with every kind of curl_easy_setopt argument (long, object
 * pointer, callback, curl_off_t, blob) and getinfo's pointer arriving intact. */
#define _GNU_SOURCE /* RTLD_NOLOAD */
#include <curl/curl.h>
#include <dlfcn.h>
#include <libpff.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lazy_fx.h"
#include "unit.h"
#include "util/lazylib.h"

static void test_missing_library(void)
{
    cck_lazylib l = CCK_LAZYLIB_INIT("libnothing", "libcalcheck-no-such-lib.so.0");
    char err[CCK_LAZYLIB_ERR_MAX] = "";
    const char *want = "cannot load libnothing (libcalcheck-no-such-lib.so.0: cannot open shared "
                       "object file: No such file or directory)";
    CHECK(!cck_lazylib_load(&l, err, sizeof err));
    CHECK_EQ_STR(err, want);
    CHECK_EQ_STR(cck_lazylib_error(&l), want);
    CHECK(cck_lazylib_sym(&l, "anything") == NULL);
    cck_lazyfn slot = NULL;
    CHECK(cck_lazylib_fn(&l, &slot, "anything") == NULL);
    CHECK(slot == NULL);
    /* Tried once: the outcome stays, also without an error buffer. */
    err[0] = 0;
    CHECK(!cck_lazylib_load(&l, NULL, 0));
    CHECK(!cck_lazylib_load(&l, err, 20));
    CHECK_EQ_STR(err, "cannot load libnoth"); /* cut to the buffer, NUL-terminated */
}

typedef struct racer {
    cck_lazylib *lib;
    cck_lazyfn *slot;
    void *fn;
    bool loaded;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    r->loaded = cck_lazylib_load(r->lib, NULL, 0);
    r->fn = cck_lazylib_fn(r->lib, r->slot, "cos");
    return NULL;
}

static void test_load_from_threads(void)
{
    cck_lazylib l = CCK_LAZYLIB_INIT("libm", "libm.so.6");
    cck_lazyfn slot = NULL;
    enum { N = 8 };
    pthread_t t[N];
    racer r[N];
    for (int i = 0; i < N; i++) {
        r[i] = (racer){&l, &slot, NULL, false};
        CHECK_EQ_INT(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < N; i++) {
        CHECK(r[i].loaded);
        CHECK(r[i].fn != NULL && r[i].fn == r[0].fn);
    }
    CHECK(slot == r[0].fn);
    CHECK_EQ_STR(cck_lazylib_error(&l), "");
    double (*cosine)(double) = (double (*)(double))slot;
    CHECK(cosine && cosine(0.0) == 1.0);
}

typedef struct buf {
    char b[64];
    size_t n;
} buf;

static size_t on_write(char *p, size_t size, size_t nmemb, void *arg)
{
    buf *d = arg;
    size_t n = size * nmemb;
    if (n > sizeof d->b - 1 - d->n)
        return 0;
    memcpy(d->b + d->n, p, n);
    d->n += n;
    d->b[d->n] = 0;
    return n;
}

static size_t on_read(char *p, size_t size, size_t nmemb, void *arg)
{
    const char **src = arg;
    size_t n = strlen(*src);
    if (n > size * nmemb)
        n = size * nmemb;
    memcpy(p, *src, n);
    *src += n;
    return n;
}

static size_t unused_xferinfo_calls;
static int on_xferinfo(void *p, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)p, (void)a, (void)b, (void)c, (void)d;
    unused_xferinfo_calls++;
    return 0;
}

static void test_curl_through_trampolines(void)
{
    CHECK(!in_process("libcurl.so.4")); /* not linked: nothing loaded it yet */
    CURLU *u = curl_url();
    CHECK(u != NULL);
    CHECK(in_process("libcurl.so.4"));
    char *host = NULL;
    CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, "https://example.org:8443/a/b", 0), CURLUE_OK);
    CHECK_EQ_INT(curl_url_get(u, CURLUPART_HOST, &host, 0), CURLUE_OK);
    CHECK_EQ_STR(host, "example.org");
    curl_free(host);
    curl_url_cleanup(u);
    CHECK(curl_easy_strerror(CURLE_OK) != NULL);

    char dir[] = "/tmp/calcheck-lazy-XXXXXX", src[64], dst[64], url[96];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(src, sizeof src, "%s/in", dir);
    snprintf(dst, sizeof dst, "%s/out", dir);
    FILE *f = fopen(src, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("hello lazy", f);
    fclose(f);

    /* Download over file://: long, object pointer, callback, curl_off_t
     * options, and getinfo's curl_off_t *. */
    CHECK_EQ_INT(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
    CURL *h = curl_easy_init();
    CHECK(h != NULL);
    buf got = {"", 0};
    snprintf(url, sizeof url, "file://%s", src);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_URL, url), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_WRITEDATA, &got), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)6), CURLE_OK);
    CHECK_EQ_INT(curl_easy_perform(h), CURLE_OK);
    CHECK_EQ_STR(got.b, "lazy");
    curl_off_t size = -1;
    CHECK_EQ_INT(curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &size), CURLE_OK);
    CHECK_EQ_INT(size, 4);
    /* A blob (struct curl_blob *) is accepted and copied by libcurl. */
    char pem[] = "not a certificate";
    struct curl_blob blob = {pem, sizeof pem - 1, CURL_BLOB_COPY};
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob), CURLE_OK);
    /* A callback type the trampoline does not know is refused, not guessed. */
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_xferinfo),
                 CURLE_BAD_FUNCTION_ARGUMENT);
    curl_easy_cleanup(h);

    /* Upload over file://: the read callback and the size as curl_off_t. */
    h = curl_easy_init();
    CHECK(h != NULL);
    const char *text = "written by libcurl";
    snprintf(url, sizeof url, "file://%s", dst);
    struct curl_slist *sl = curl_slist_append(NULL, "X-Unused: 1");
    CHECK(sl != NULL);
    curl_slist_free_all(sl);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_URL, url), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_UPLOAD, 1L), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_READDATA, &text), CURLE_OK);
    CHECK_EQ_INT(curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)18), CURLE_OK);
    CHECK_EQ_INT(curl_easy_perform(h), CURLE_OK);
    curl_easy_cleanup(h);
    char back[64] = "";
    f = fopen(dst, "r");
    CHECK(f != NULL);
    if (f) {
        CHECK(fgets(back, sizeof back, f) != NULL);
        fclose(f);
    }
    CHECK_EQ_STR(back, "written by libcurl");
    CHECK_EQ_INT(unused_xferinfo_calls, 0);
    unlink(src);
    unlink(dst);
    rmdir(dir);
}

static void test_pff_through_trampolines(void)
{
    CHECK(!in_process("libpff.so.1"));
    libpff_error_t *e = NULL;
    CHECK_EQ_INT(libpff_check_file_signature("/nonexistent/calcheck.pst", &e), -1);
    CHECK(in_process("libpff.so.1"));
    CHECK(in_process("libbfio.so.1")); /* libpff's own dependency came with it */
    CHECK(e != NULL);
    char text[512] = "";
    CHECK(libpff_error_sprint(e, text, sizeof text) > 0);
    CHECK(strstr(text, "libpff_check_file_signature") != NULL); /* the real function spoke */
    libpff_error_free(&e);
    CHECK(e == NULL);
    char err[CCK_LAZYLIB_ERR_MAX] = "unchanged";
    CHECK(cck_lazylib_load(&cck_lazy_pff, err, sizeof err));
    CHECK_EQ_STR(err, "unchanged");
}

int main(void)
{
    RUN(test_missing_library);
    RUN(test_load_from_threads);
    RUN(test_curl_through_trampolines);
    RUN(test_pff_through_trampolines);
    return unit_done();
}

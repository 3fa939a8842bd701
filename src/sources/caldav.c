/* caldav.c - CalDAV requests over libcurl (caldav.h): PROPFIND (RFC 4918
 * §9.1) for principals, homes and calendars, calendar-query REPORT (RFC 4791
 * §7.8) for every object of a calendar at once. One easy handle per
 * connection, reused for keep-alive; every request bounded in time and size;
 * hrefs resolved with libcurl's URL parser and kept on the request's origin. */
#include "caldav.h"
#include "util/lazylib.h"
#include "util/text.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cck_caldav {
    CURL *h;
    char *user, *password;
    size_t requests;
    char errbuf[CURL_ERROR_SIZE];
};

typedef struct sink {
    char *b;
    size_t n, cap;
    bool too_big;
} sink;

int cck_caldav_global_init(char *err, size_t errsize)
{
    if (!cck_lazylib_load(&cck_lazy_curl, err, errsize) ||
        !cck_lazylib_load(&cck_lazy_xml, err, errsize))
        return -1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return 0;
}

bool cck_caldav_is_url(const char *s)
{
    return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

cck_caldav *cck_caldav_new(const cck_caldav_opts *o)
{
    cck_caldav *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->h = curl_easy_init();
    c->user = dup_or_empty(o->user);
    c->password = dup_or_empty(o->password);
    if (!c->h || !c->user || !c->password) {
        cck_caldav_free(c);
        return NULL;
    }
    CURL *h = c->h;
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ? o->connect_timeout : 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout > 0 ? o->timeout : 120L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "calcheck/" CCK_VERSION);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o->tls_verify ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o->tls_verify ? 2L : 0L);
    if (o->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
    if (*c->user) {
        /* Basic, sent with the first request: no extra round trip per request. */
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    return c;
}

void cck_caldav_free(cck_caldav *c)
{
    if (!c)
        return;
    if (c->h)
        curl_easy_cleanup(c->h);
    if (c->password) {
        volatile char *v = c->password;
        for (size_t i = 0; v[i]; i++)
            v[i] = 0;
    }
    free(c->user);
    free(c->password);
    free(c);
}

size_t cck_caldav_requests(const cck_caldav *c)
{
    return c->requests;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
    sink *s = arg;
    size_t n = size * nmemb;
    if (n > CCK_CALDAV_MAX_RESPONSE - s->n) {
        s->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 16384;
        while (cap < s->n + n + 1)
            cap *= 2;
        char *b = realloc(s->b, cap);
        if (!b)
            return 0;
        s->b = b;
        s->cap = cap;
    }
    memcpy(s->b + s->n, p, n);
    s->n += n;
    s->b[s->n] = 0;
    return n;
}

/* A URL calcheck may request: http(s), no user or password in it. */
static const char *url_problem(const char *url)
{
    if (!cck_caldav_is_url(url))
        return "not an http:// or https:// URL";
    if (strlen(url) >= CCK_CALDAV_MAX_URL)
        return "URL too long";
    CURLU *u = curl_url();
    if (!u)
        return "out of memory";
    const char *why = NULL;
    char *part = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        why = "not a valid URL";
    else if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
             curl_url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK)
        why = "a URL must not carry a user or password: put the user in the profile and the "
              "secret in password_env, password_file or password_command";
    curl_free(part);
    curl_url_cleanup(u);
    return why;
}

cck_dav_err cck_caldav_request(cck_caldav *c, const char *method, const char *url,
                               const char *const *headers, const char *body, long *status,
                               char **out, size_t *outlen, char *err, size_t errsize)
{
    *out = NULL;
    *outlen = 0;
    *status = 0;
    const char *bad = url_problem(url);
    if (bad) {
        cck_set_err(err, errsize, "%s: %s", url, bad);
        return CCK_DAV_DATA;
    }
    CURL *h = c->h;
    struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
    for (size_t i = 0; hl && headers && headers[i]; i++) {
        struct curl_slist *n = curl_slist_append(hl, headers[i]);
        if (!n) {
            curl_slist_free_all(hl);
            hl = NULL;
        } else
            hl = n;
    }
    if (hl && body) {
        struct curl_slist *n =
            curl_slist_append(hl, "Content-Type: application/xml; charset=utf-8");
        if (!n) {
            curl_slist_free_all(hl);
            hl = NULL;
        } else
            hl = n;
    }
    if (!hl) {
        cck_set_err(err, errsize, "%s: out of memory", url);
        return CCK_DAV_NOMEM;
    }
    sink s = {0};
    c->errbuf[0] = 0;
    curl_easy_setopt(h, CURLOPT_URL, url);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L); /* forgets the last request's body */
    }
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, strcmp(method, "GET") ? method : NULL);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    CURLcode rc = curl_easy_perform(h);
    c->requests++;
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hl);
    if (rc != CURLE_OK) {
        free(s.b);
        if (s.too_big) {
            cck_set_err(err, errsize, "%s: the answer is larger than %u MB", url,
                        (unsigned)(CCK_CALDAV_MAX_RESPONSE >> 20));
            return CCK_DAV_DATA;
        }
        cck_set_err(err, errsize, "%s: %s", url, c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
        return rc == CURLE_OUT_OF_MEMORY ? CCK_DAV_NOMEM : CCK_DAV_NET;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    if (!s.b && !(s.b = calloc(1, 1))) {
        cck_set_err(err, errsize, "%s: out of memory", url);
        return CCK_DAV_NOMEM;
    }
    *out = s.b;
    *outlen = s.n;
    return CCK_DAV_OK;
}

/* A request whose answer must be a 207 multistatus; parsed into *ms. */
static cck_dav_err multistatus(cck_caldav *c, const char *method, const char *url,
                               const char *depth, const char *body, cck_dav_ms **ms, char *err,
                               size_t errsize)
{
    char dh[32];
    snprintf(dh, sizeof dh, "Depth: %s", depth);
    const char *hdr[] = {dh, NULL};
    long st;
    char *b;
    size_t n;
    *ms = NULL;
    cck_dav_err e = cck_caldav_request(c, method, url, hdr, body, &st, &b, &n, err, errsize);
    if (e)
        return e;
    if (st == 401 || st == 403) {
        free(b);
        if (*c->user)
            cck_set_err(
                err, errsize,
                "%s: the server refused user '%s' (HTTP %ld): check the user and the secret "
                "(profile, CALCHECK_USERNAME/CALCHECK_PASSWORD) and the account's rights",
                url, c->user, st);
        else
            cck_set_err(err, errsize,
                        "%s: the server asks for a login (HTTP %ld): use -P PROFILE or set "
                        "CALCHECK_USERNAME and CALCHECK_PASSWORD",
                        url, st);
        return CCK_DAV_AUTH;
    }
    if (st != 207) {
        free(b);
        cck_set_err(err, errsize, "%s: %s answered HTTP %ld, not 207 Multi-Status", url, method,
                    st);
        return CCK_DAV_HTTP;
    }
    const char *why = NULL;
    int rc = cck_dav_ms_parse(b, n, ms, &why);
    free(b);
    if (rc != 0) {
        cck_set_err(err, errsize, "%s: unusable %s answer: %s", url, method, why);
        return CCK_DAV_DATA;
    }
    return CCK_DAV_OK;
}

char *cck_caldav_resolve(const char *base, const char *href)
{
    CURLU *u = curl_url(), *b = curl_url();
    char *out = NULL, *s1 = NULL, *h1 = NULL, *p1 = NULL, *s2 = NULL, *h2 = NULL, *p2 = NULL;
    if (u && b && curl_url_set(b, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, href, 0) == CURLUE_OK &&
        curl_url_get(b, CURLUPART_SCHEME, &s1, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &s2, 0) == CURLUE_OK &&
        curl_url_get(b, CURLUPART_HOST, &h1, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &h2, 0) == CURLUE_OK &&
        curl_url_get(b, CURLUPART_PORT, &p1, CURLU_DEFAULT_PORT) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &p2, CURLU_DEFAULT_PORT) == CURLUE_OK &&
        !strcasecmp(s1, s2) && !strcasecmp(h1, h2) && !strcmp(p1, p2)) {
        char *full = NULL;
        if (curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) {
            out = strlen(full) < CCK_CALDAV_MAX_URL ? strdup(full) : NULL;
            curl_free(full);
        }
    }
    curl_free(s1);
    curl_free(h1);
    curl_free(p1);
    curl_free(s2);
    curl_free(h2);
    curl_free(p2);
    curl_url_cleanup(u);
    curl_url_cleanup(b);
    return out;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

void cck_caldav_last_segment(const char *url, char *buf, size_t size)
{
    const char *p = url;
    const char *sch = strstr(url, "://");
    if (sch) {
        p = strchr(sch + 3, '/');
        if (!p)
            p = "";
    }
    size_t end = strcspn(p, "?#");
    while (end && p[end - 1] == '/')
        end--;
    size_t start = end;
    while (start && p[start - 1] != '/')
        start--;
    size_t k = 0;
    for (size_t i = start; i < end && k + 1 < size; i++) {
        int hi, lo;
        if (p[i] == '%' && i + 2 < end + 1 && (hi = hexval(p[i + 1])) >= 0 &&
            (lo = hexval(p[i + 2])) >= 0) {
            buf[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else
            buf[k++] = p[i];
    }
    if (size)
        buf[k] = 0;
}

/* Whether two absolute URLs name the same resource (a trailing '/' aside). */
static bool same_url(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    while (na && a[na - 1] == '/')
        na--;
    while (nb && b[nb - 1] == '/')
        nb--;
    return na == nb && !memcmp(a, b, na);
}

void cck_caldav_strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void cck_caldav_box_free(cck_caldav_box *box)
{
    free(box->url);
    free(box->home);
    free(box->quarantine);
    for (size_t i = 0; i < box->ncals; i++) {
        free(box->cals[i].url);
        free(box->cals[i].display);
    }
    free(box->cals);
    cck_caldav_strv_free(box->addresses, box->naddr);
    memset(box, 0, sizeof *box);
}

static const char propfind_principal[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>"
    "<D:resourcetype/><D:displayname/><D:current-user-principal/><C:calendar-home-set/>"
    "<C:calendar-user-address-set/><C:supported-calendar-component-set/>"
    "</D:prop></D:propfind>";

static const char propfind_home[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>"
    "<D:resourcetype/><D:displayname/><C:supported-calendar-component-set/>"
    "</D:prop></D:propfind>";

static const char report_all[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
    "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
    "<C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>";

/* The response about `url` itself in a Depth 0 answer. */
static const cck_dav_resp *self_of(const cck_dav_ms *ms, const char *url)
{
    for (size_t i = 0; i < cck_dav_ms_count(ms); i++) {
        const cck_dav_resp *r = cck_dav_ms_at(ms, i);
        char *abs = cck_caldav_resolve(url, r->href);
        bool same = abs && same_url(abs, url);
        free(abs);
        if (same)
            return r;
    }
    return cck_dav_ms_count(ms) == 1 ? cck_dav_ms_at(ms, 0) : NULL;
}

static cck_dav_err add_cal(cck_caldav_box *box, const char *url, const char *display)
{
    cck_caldav_cal *v = realloc(box->cals, (box->ncals + 1) * sizeof *v);
    if (!v)
        return CCK_DAV_NOMEM;
    box->cals = v;
    v[box->ncals].url = strdup(url);
    v[box->ncals].display = display ? strdup(display) : NULL;
    if (!v[box->ncals].url)
        return CCK_DAV_NOMEM;
    box->ncals++;
    return CCK_DAV_OK;
}

/* The calendars in a home (PROPFIND Depth 1). */
static cck_dav_err list_home(cck_caldav *c, cck_caldav_box *box, char *err, size_t errsize)
{
    cck_dav_ms *ms = NULL;
    cck_dav_err e = multistatus(c, "PROPFIND", box->home, "1", propfind_home, &ms, err, errsize);
    if (e)
        return e;
    for (size_t i = 0; i < cck_dav_ms_count(ms) && !e; i++) {
        const cck_dav_resp *r = cck_dav_ms_at(ms, i);
        if (!r->calendar || r->status < 200 || r->status > 299)
            continue;
        char *abs = cck_caldav_resolve(box->home, r->href);
        if (!abs) {
            cck_set_err(err, errsize, "%s: the server named a calendar '%.200s' that is not on it",
                        box->home, r->href);
            e = CCK_DAV_DATA;
            break;
        }
        char seg[256];
        cck_caldav_last_segment(abs, seg, sizeof seg);
        if (same_url(abs, box->home)) {
            free(abs);
            continue;
        }
        if (!strcmp(seg, CCK_CALDAV_QUARANTINE)) {
            free(box->quarantine);
            box->quarantine = abs; /* never checked: it holds what -F moved */
            continue;
        }
        if (r->vevent) {
            if (box->ncals >= CCK_CALDAV_MAX_CALENDARS) {
                cck_set_err(err, errsize, "%s: more than %d calendars", box->home,
                            CCK_CALDAV_MAX_CALENDARS);
                e = CCK_DAV_DATA;
            } else
                e = add_cal(box, abs, r->displayname);
        }
        free(abs);
    }
    cck_dav_ms_free(ms);
    if (e == CCK_DAV_NOMEM)
        cck_set_err(err, errsize, "%s: out of memory", box->home);
    return e;
}

cck_dav_err cck_caldav_discover(cck_caldav *c, const char *url, cck_caldav_box *box, char *err,
                                size_t errsize)
{
    memset(box, 0, sizeof *box);
    char *cur = strdup(url);
    cck_dav_err e = cur ? CCK_DAV_OK : CCK_DAV_NOMEM;
    /* At most one hop: a URL that is neither calendar, home nor principal
     * (a server root) leads to the login's own principal. */
    for (int hop = 0; hop < 2 && !e; hop++) {
        cck_dav_ms *ms = NULL;
        e = multistatus(c, "PROPFIND", cur, "0", propfind_principal, &ms, err, errsize);
        if (e)
            break;
        const cck_dav_resp *r = self_of(ms, cur);
        if (!r) {
            cck_set_err(err, errsize, "%s: the PROPFIND answer does not describe the URL asked for",
                        cur);
            e = CCK_DAV_DATA;
        } else if (r->calendar) {
            /* One calendar: its home is the collection holding it. */
            box->url = strdup(cur);
            box->home = cck_caldav_resolve(cur, "..");
            e = box->url && box->home ? add_cal(box, cur, r->displayname) : CCK_DAV_NOMEM;
        } else if (r->home || r->principal) {
            box->url = strdup(cur);
            box->home = r->home ? cck_caldav_resolve(cur, r->home) : strdup(cur);
            for (size_t i = 0; i < r->n_addresses && box->url; i++) {
                char **v = realloc(box->addresses, (box->naddr + 1) * sizeof *v);
                if (!v)
                    break;
                box->addresses = v;
                if ((v[box->naddr] = strdup(r->addresses[i])))
                    box->naddr++;
            }
            if (!box->url || (r->home && !box->home)) {
                e = box->url ? CCK_DAV_DATA : CCK_DAV_NOMEM;
                cck_set_err(err, errsize, "%s: unusable calendar-home-set '%.200s'", cur, r->home);
            } else if (!box->home)
                e = CCK_DAV_NOMEM;
            else
                e = list_home(c, box, err, errsize);
        } else if (hop == 0 && r->user_principal) {
            char *next = cck_caldav_resolve(cur, r->user_principal);
            if (!next) {
                cck_set_err(err, errsize, "%s: unusable current-user-principal '%.200s'", cur,
                            r->user_principal);
                e = CCK_DAV_DATA;
            } else {
                free(cur);
                cur = next;
                cck_dav_ms_free(ms);
                continue;
            }
        } else if (r->collection) {
            /* A plain collection: read it as a calendar home. */
            box->url = strdup(cur);
            box->home = strdup(cur);
            e = box->url && box->home ? list_home(c, box, err, errsize) : CCK_DAV_NOMEM;
        } else {
            cck_set_err(err, errsize, "%s: neither a calendar, a principal nor a collection", cur);
            e = CCK_DAV_DATA;
        }
        cck_dav_ms_free(ms);
        break;
    }
    if (e == CCK_DAV_NOMEM)
        cck_set_err(err, errsize, "%s: out of memory", url);
    free(cur);
    if (e)
        cck_caldav_box_free(box);
    return e;
}

cck_dav_err cck_caldav_items(cck_caldav *c, const char *cal_url, cck_dav_ms **out, char *err,
                             size_t errsize)
{
    cck_dav_err e = multistatus(c, "REPORT", cal_url, "1", report_all, out, err, errsize);
    if (e)
        return e;
    for (size_t i = 0; i < cck_dav_ms_count(*out); i++) {
        const cck_dav_resp *r = cck_dav_ms_at(*out, i);
        if (r->status >= 200 && r->status <= 299 && !r->data) {
            char seg[256];
            cck_caldav_last_segment(r->href, seg, sizeof seg);
            cck_set_err(err, errsize, "%s: the REPORT answer holds '%s' without its calendar-data",
                        cal_url, seg);
            cck_dav_ms_free(*out);
            *out = NULL;
            return CCK_DAV_DATA;
        }
    }
    return CCK_DAV_OK;
}

static const char propfind_list[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/><D:current-user-principal/>"
    "</D:prop></D:propfind>";

cck_dav_err cck_caldav_list(cck_caldav *c, const char *root, char ***urls, size_t *n, char *err,
                            size_t errsize)
{
    *urls = NULL;
    *n = 0;
    cck_dav_ms *ms = NULL;
    cck_dav_err e = multistatus(c, "PROPFIND", root, "1", propfind_list, &ms, err, errsize);
    if (e)
        return e;
    size_t nprinc = 0;
    for (size_t i = 0; i < cck_dav_ms_count(ms); i++)
        nprinc += cck_dav_ms_at(ms, i)->principal;
    char **v = calloc(cck_dav_ms_count(ms) + 1, sizeof *v);
    for (size_t i = 0; v && i < cck_dav_ms_count(ms) && !e; i++) {
        const cck_dav_resp *r = cck_dav_ms_at(ms, i);
        if (r->status < 200 || r->status > 299 || !(nprinc ? r->principal : r->collection))
            continue;
        char *abs = cck_caldav_resolve(root, r->href);
        if (!abs) {
            cck_set_err(err, errsize, "%s: the server named '%.200s', which is not on it", root,
                        r->href);
            e = CCK_DAV_DATA;
        } else if (same_url(abs, root))
            free(abs);
        else if (*n >= CCK_CALDAV_MAX_MAILBOXES) {
            free(abs);
            cck_set_err(err, errsize, "%s: more than %d mailboxes", root, CCK_CALDAV_MAX_MAILBOXES);
            e = CCK_DAV_DATA;
        } else
            v[(*n)++] = abs;
    }
    /* A server that lists no principal below its root (a single-user one
     * such as xandikos) has one mailbox: the login's own principal. */
    const cck_dav_resp *self = !e && v && !*n ? self_of(ms, root) : NULL;
    if (self && self->user_principal) {
        char *abs = cck_caldav_resolve(root, self->user_principal);
        if (abs)
            v[(*n)++] = abs;
    }
    cck_dav_ms_free(ms);
    if (!v) {
        cck_set_err(err, errsize, "%s: out of memory", root);
        return CCK_DAV_NOMEM;
    }
    if (e) {
        cck_caldav_strv_free(v, *n);
        *n = 0;
        return e;
    }
    *urls = v;
    return CCK_DAV_OK;
}

/* caldav.h - a CalDAV server as a calendar source (DESIGN §4, CalDAV row):
 * libcurl requests with connect and total timeouts and a response-size
 * ceiling, the login of a profile, certificates verified unless told not to.
 *
 * A mailbox costs 2 + (number of calendars) requests: PROPFIND Depth 0 on the
 * principal (calendar-home-set, calendar-user-address-set; RFC 4791 §6.2.1,
 * RFC 6638 §2.4.1), PROPFIND Depth 1 on the home (the calendars that hold
 * VEVENTs), and one calendar-query REPORT per calendar returning every
 * object's calendar-data and ETag (RFC 4791 §7.8) - never a request per item.
 * Quarantine (-F) adds MKCALENDAR (§5.3.1), MOVE (RFC 4918 §9.9), and GET /
 * DELETE only to verify a move that did not answer plainly.
 *
 * Hrefs from the server are resolved against the request's URL and must stay
 * on its scheme, host and port. URLs carrying a user or password are refused:
 * secrets come from the profile, never from a URL.
 *
 * Ownership: a cck_caldav owns its curl handle and a copy of the login; the
 * structures it fills (cck_caldav_box, reply bodies, URL lists) belong to the
 * caller, who frees them with the matching function. Not for use by two
 * threads at once; one per process after fork is fine (call
 * cck_caldav_global_init in the parent first).
 */
#ifndef CCK_CALDAV_H
#define CCK_CALDAV_H

#include <stdbool.h>
#include <stddef.h>

#include "sources/davxml.h"

/* Bytes of one answer read at most (a REPORT holds a whole calendar). */
#define CCK_CALDAV_MAX_RESPONSE CCK_DAV_MAX_XML
/* Calendars of one mailbox, mailboxes of one server, bytes of a URL. */
#define CCK_CALDAV_MAX_CALENDARS 1000
#define CCK_CALDAV_MAX_MAILBOXES 1000000
#define CCK_CALDAV_MAX_URL       8192
/* The quarantine calendar's name in a mailbox's home (DESIGN §8). */
#define CCK_CALDAV_QUARANTINE "CalCheck"

typedef enum {
    CCK_DAV_OK = 0,
    CCK_DAV_NET,  /* no answer: refused, dropped, timed out, TLS */
    CCK_DAV_AUTH, /* 401 or 403 */
    CCK_DAV_HTTP, /* another unexpected status */
    CCK_DAV_DATA, /* an answer calcheck cannot use (not XML, missing data, foreign href) */
    CCK_DAV_NOMEM
} cck_dav_err;

typedef struct cck_caldav_opts {
    const char *user, *password; /* empty or NULL: no login */
    bool tls_verify;
    const char *ca_file;           /* NULL: the system's */
    long timeout, connect_timeout; /* seconds; 0: 120 and 10 */
} cck_caldav_opts;

typedef struct cck_caldav cck_caldav;

/* Once per process, before any thread or fork: loads libcurl and libxml2
 * (util/lazylib.h; the binary does not link them) and initialises libcurl.
 * 0, or -1 with "cannot load libcurl (reason)" (or libxml2) in err. */
int cck_caldav_global_init(char *err, size_t errsize);

cck_caldav *cck_caldav_new(const cck_caldav_opts *o);
void cck_caldav_free(cck_caldav *c);
/* Requests sent through this connection so far. */
size_t cck_caldav_requests(const cck_caldav *c);

/* Whether s is an http:// or https:// URL. */
bool cck_caldav_is_url(const char *s);

/* One request. `headers` is a NULL-terminated list of "Name: value" or NULL;
 * body may be NULL. On CCK_DAV_OK *status and the body (malloc'd, NUL-ended,
 * the caller frees it) are set whatever the status; otherwise err says why,
 * naming the URL. */
cck_dav_err cck_caldav_request(cck_caldav *c, const char *method, const char *url,
                               const char *const *headers, const char *body, long *status,
                               char **out, size_t *outlen, char *err, size_t errsize);

typedef struct cck_caldav_cal {
    char *url;     /* absolute */
    char *display; /* displayname, or NULL */
} cck_caldav_cal;

typedef struct cck_caldav_box {
    char *url;        /* the principal (or calendar) the discovery started from */
    char *home;       /* the calendar home (where the quarantine calendar goes) */
    char *quarantine; /* the home's CalCheck calendar when it exists, else NULL */
    cck_caldav_cal *cals;
    size_t ncals;
    char **addresses; /* calendar-user-address-set */
    size_t naddr;
} cck_caldav_box;

/* The calendars of the mailbox at url: a calendar URL (that calendar), a
 * principal URL, or the server root (the login's own principal). */
cck_dav_err cck_caldav_discover(cck_caldav *c, const char *url, cck_caldav_box *box, char *err,
                                size_t errsize);
void cck_caldav_box_free(cck_caldav_box *box);

/* Every calendar object of a calendar, in one REPORT. */
cck_dav_err cck_caldav_items(cck_caldav *c, const char *cal_url, cck_dav_ms **out, char *err,
                             size_t errsize);

/* The mailboxes below a server root (one PROPFIND Depth 1): its principals,
 * else its child collections, else (a single-user server) the login's own
 * principal. URLs are absolute; free with cck_caldav_strv_free. */
cck_dav_err cck_caldav_list(cck_caldav *c, const char *root, char ***urls, size_t *n, char *err,
                            size_t errsize);
void cck_caldav_strv_free(char **v, size_t n);

/* An href resolved against base as an absolute URL on base's origin
 * (malloc'd), or NULL (foreign origin, bad syntax, out of memory). */
char *cck_caldav_resolve(const char *base, const char *href);

/* The last non-empty path segment of a URL, percent-decoded, into buf. */
void cck_caldav_last_segment(const char *url, char *buf, size_t size);

#endif

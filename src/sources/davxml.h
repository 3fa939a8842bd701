/* davxml.h - a WebDAV multistatus body (RFC 4918 §13, §14.16) as a list of
 * responses with the few properties calcheck asks for: resource type,
 * display name, ETag, CalDAV calendar-data (RFC 4791 §9.6), the supported
 * components (§5.2.3), and the principal properties current-user-principal
 * (RFC 5397), calendar-home-set (RFC 4791 §6.2.1) and
 * calendar-user-address-set (RFC 6638 §2.4.1).
 *
 * The body is untrusted: it is parsed by libxml2 without network access and
 * without a DTD (a body declaring one is refused before parsing, so no entity
 * is ever expanded), within CCK_DAV_MAX_XML bytes; a property is taken only
 * from a propstat whose status is 2xx.
 *
 * Ownership: a cck_dav_ms owns every response and string in it; free it with
 * cck_dav_ms_free. Responses are read-only views valid until then.
 */
#ifndef CCK_DAVXML_H
#define CCK_DAVXML_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of one multistatus body parsed at most (one REPORT holds a whole
 * calendar); responses in one body; hrefs kept per property. */
#define CCK_DAV_MAX_XML       (256u << 20)
#define CCK_DAV_MAX_RESPONSES 1000000
#define CCK_DAV_MAX_HREFS     64
/* Bytes of an href or a short property value (ETag, display name). */
#define CCK_DAV_MAX_SHORT 8192

typedef struct cck_dav_resp {
    const char *href; /* as the server sent it (path or URL, percent-encoded) */
    int status;       /* the response's own status line, else its 2xx propstat's; 0 unknown */
    bool collection, calendar, principal; /* resourcetype */
    bool vevent; /* supported-calendar-component-set lists VEVENT, or is absent */
    const char *displayname, *etag; /* NULL when absent */
    const char *data;               /* calendar-data, NULL when absent */
    size_t data_len;
    const char *user_principal;   /* current-user-principal href */
    const char *home;             /* first calendar-home-set href */
    const char *const *addresses; /* calendar-user-address-set hrefs */
    size_t n_addresses;
} cck_dav_resp;

typedef struct cck_dav_ms cck_dav_ms;

/* Parses a multistatus body. Returns 0 with *out set, or -1 with *why
 * saying what is wrong (static text; "cannot load libxml2 (...)" when
 * libxml2, loaded on first use, is missing). */
int cck_dav_ms_parse(const char *xml, size_t len, cck_dav_ms **out, const char **why);
size_t cck_dav_ms_count(const cck_dav_ms *m);
const cck_dav_resp *cck_dav_ms_at(const cck_dav_ms *m, size_t i);
void cck_dav_ms_free(cck_dav_ms *m);

#endif

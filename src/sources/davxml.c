/* davxml.c - WebDAV multistatus bodies (RFC 4918 §13, §14.16-§14.24) with the
 * CalDAV properties of RFC 4791 §5.2, §6.2.1, §9.6 and RFC 6638 §2.4.1, read
 * with libxml2: no network, no DTD (refused before parsing, so no entity is
 * ever expanded), the size bounded; properties only from 2xx propstats. */
#include "davxml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "util/lazylib.h"

#define NS_DAV    "DAV:"
#define NS_CALDAV "urn:ietf:params:xml:ns:caldav"

typedef struct owned_resp {
    cck_dav_resp r;
    const char *addr[CCK_DAV_MAX_HREFS];
} owned_resp;

struct cck_dav_ms {
    owned_resp *v;
    size_t n, cap;
    char **strs; /* every string handed out */
    size_t ns, scap;
};

static bool is(const xmlNode *n, const char *ns, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name);
}

static const xmlNode *child(const xmlNode *n, const char *ns, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, ns, name))
            return c;
    return NULL;
}

/* Keeps a copy of s[0..n) in the multistatus; NULL when out of memory. */
static const char *keep(cck_dav_ms *m, const char *s, size_t n)
{
    if (m->ns == m->scap) {
        size_t cap = m->scap ? m->scap * 2 : 64;
        char **v = realloc(m->strs, cap * sizeof *v);
        if (!v)
            return NULL;
        m->strs = v;
        m->scap = cap;
    }
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = 0;
    m->strs[m->ns++] = c;
    return c;
}

/* The text of an element (its text and CDATA descendants); trimmed of
 * surrounding blanks unless `raw`; at most `max` bytes. */
static const char *text_of(cck_dav_ms *m, const xmlNode *n, bool raw, size_t max, bool *oom)
{
    if (!n)
        return NULL;
    xmlChar *t = xmlNodeGetContent(n);
    if (!t) {
        *oom = true;
        return NULL;
    }
    const char *s = (const char *)t;
    size_t len = strlen(s);
    if (!raw) {
        while (len && strchr(" \t\r\n", *s)) {
            s++;
            len--;
        }
        while (len && strchr(" \t\r\n", s[len - 1]))
            len--;
    }
    if (len > max)
        len = max;
    const char *k = keep(m, s, len);
    cck_xml_free(t);
    if (!k)
        *oom = true;
    return k;
}

static int status_code(const char *line)
{
    /* "HTTP/1.1 200 OK" */
    const char *sp = line ? strchr(line, ' ') : NULL;
    if (!sp || sp[1] < '1' || sp[1] > '5' || sp[2] < '0' || sp[2] > '9' || sp[3] < '0' ||
        sp[3] > '9')
        return 0;
    return (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
}

static const char *href_in(cck_dav_ms *m, const xmlNode *n, bool *oom)
{
    const xmlNode *h = child(n, NS_DAV, "href");
    return h ? text_of(m, h, false, CCK_DAV_MAX_SHORT, oom) : NULL;
}

static void read_prop(cck_dav_ms *m, owned_resp *o, const xmlNode *prop, bool *oom)
{
    cck_dav_resp *r = &o->r;
    for (const xmlNode *p = prop->children; p; p = p->next) {
        if (p->type != XML_ELEMENT_NODE)
            continue;
        if (is(p, NS_DAV, "resourcetype")) {
            r->collection |= child(p, NS_DAV, "collection") != NULL;
            r->principal |= child(p, NS_DAV, "principal") != NULL;
            r->calendar |= child(p, NS_CALDAV, "calendar") != NULL;
        } else if (is(p, NS_CALDAV, "supported-calendar-component-set")) {
            bool ev = false;
            for (const xmlNode *c = p->children; c; c = c->next)
                if (is(c, NS_CALDAV, "comp")) {
                    xmlChar *nm = xmlGetNoNsProp(c, (const xmlChar *)"name");
                    ev |= nm && !strcmp((const char *)nm, "VEVENT");
                    cck_xml_free(nm);
                }
            r->vevent = ev;
        } else if (is(p, NS_DAV, "displayname")) {
            r->displayname = text_of(m, p, false, CCK_DAV_MAX_SHORT, oom);
        } else if (is(p, NS_DAV, "getetag")) {
            r->etag = text_of(m, p, false, CCK_DAV_MAX_SHORT, oom);
        } else if (is(p, NS_CALDAV, "calendar-data")) {
            r->data = text_of(m, p, true, CCK_DAV_MAX_XML, oom);
            r->data_len = r->data ? strlen(r->data) : 0;
        } else if (is(p, NS_DAV, "current-user-principal")) {
            r->user_principal = href_in(m, p, oom);
        } else if (is(p, NS_CALDAV, "calendar-home-set")) {
            r->home = href_in(m, p, oom);
        } else if (is(p, NS_CALDAV, "calendar-user-address-set")) {
            for (const xmlNode *h = p->children; h; h = h->next)
                if (is(h, NS_DAV, "href") && r->n_addresses < CCK_DAV_MAX_HREFS) {
                    const char *a = text_of(m, h, false, CCK_DAV_MAX_SHORT, oom);
                    if (a)
                        o->addr[r->n_addresses++] = a;
                }
        }
    }
}

static int add_response(cck_dav_ms *m, const xmlNode *resp, const char **why)
{
    if (m->n >= CCK_DAV_MAX_RESPONSES) {
        *why = "more responses than calcheck reads in one answer";
        return -1;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        owned_resp *v = realloc(m->v, cap * sizeof *v);
        if (!v) {
            *why = "out of memory";
            return -1;
        }
        m->v = v;
        m->cap = cap;
    }
    owned_resp *o = &m->v[m->n];
    memset(o, 0, sizeof *o);
    o->r.vevent = true;
    bool oom = false;
    o->r.href = href_in(m, resp, &oom);
    if (!o->r.href) {
        *why = oom ? "out of memory" : "a response without an href";
        return -1;
    }
    const xmlNode *st = child(resp, NS_DAV, "status");
    if (st) {
        const char *s = text_of(m, st, false, CCK_DAV_MAX_SHORT, &oom);
        o->r.status = status_code(s);
    }
    for (const xmlNode *ps = resp->children; ps; ps = ps->next) {
        if (!is(ps, NS_DAV, "propstat"))
            continue;
        const char *s = text_of(m, child(ps, NS_DAV, "status"), false, CCK_DAV_MAX_SHORT, &oom);
        int code = status_code(s);
        if (code < 200 || code > 299)
            continue;
        if (!o->r.status)
            o->r.status = code;
        const xmlNode *prop = child(ps, NS_DAV, "prop");
        if (prop)
            read_prop(m, o, prop, &oom);
    }
    if (oom) {
        *why = "out of memory";
        return -1;
    }
    m->n++;
    return 0;
}

/* Whether the body declares a DTD or an entity (refused: no expansion). */
static bool has_dtd(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == '<' && s[i + 1] == '!' && (s[i + 2] == 'D' || s[i + 2] == 'E') &&
            ((n - i >= 9 && !memcmp(s + i, "<!DOCTYPE", 9)) ||
             (n - i >= 8 && !memcmp(s + i, "<!ENTITY", 8))))
            return true;
    return false;
}

int cck_dav_ms_parse(const char *xml, size_t len, cck_dav_ms **out, const char **why)
{
    *out = NULL;
    if (len > CCK_DAV_MAX_XML) {
        *why = "the answer is larger than calcheck reads (CCK_DAV_MAX_XML)";
        return -1;
    }
    if (has_dtd(xml, len)) {
        *why = "the XML declares a DTD or entities, which calcheck refuses";
        return -1;
    }
    if (!cck_lazylib_load(&cck_lazy_xml, NULL, 0)) {
        *why = cck_lazylib_error(&cck_lazy_xml);
        return -1;
    }
    cck_dav_ms *m = calloc(1, sizeof *m);
    if (!m) {
        *why = "out of memory";
        return -1;
    }
    xmlDoc *doc = xmlReadMemory(xml, (int)len, "multistatus.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                    XML_PARSE_HUGE | XML_PARSE_NOCDATA);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    int rc = 0;
    if (!doc) {
        *why = "the answer is not well-formed XML";
        rc = -1;
    } else if (doc->intSubset || doc->extSubset) {
        *why = "the XML declares a DTD, which calcheck refuses";
        rc = -1;
    } else if (!is(root, NS_DAV, "multistatus")) {
        *why = "the answer is XML but not a DAV:multistatus";
        rc = -1;
    }
    for (const xmlNode *c = rc == 0 ? root->children : NULL; c && rc == 0; c = c->next)
        if (is(c, NS_DAV, "response"))
            rc = add_response(m, c, why);
    xmlFreeDoc(doc);
    if (rc != 0) {
        cck_dav_ms_free(m);
        return -1;
    }
    for (size_t i = 0; i < m->n; i++)
        m->v[i].r.addresses = m->v[i].addr;
    *out = m;
    return 0;
}

size_t cck_dav_ms_count(const cck_dav_ms *m)
{
    return m ? m->n : 0;
}

const cck_dav_resp *cck_dav_ms_at(const cck_dav_ms *m, size_t i)
{
    return m && i < m->n ? &m->v[i].r : NULL;
}

void cck_dav_ms_free(cck_dav_ms *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->ns; i++)
        free(m->strs[i]);
    free(m->strs);
    free(m->v);
    free(m);
}

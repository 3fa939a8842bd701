/* lazy_xml.c - libxml2 loaded on first use (lazylib.h): one trampoline per
 * libxml2 function davxml.c calls, each under libxml2's own name and
 * prototype, resolving the real function in libxml2.so.2 once; and
 * cck_xml_free, which calls through libxml2's xmlFree variable.
 * These symbols are libxml2's names, not cck_ ones, on purpose: the caller
 * keeps calling libxml2 as documented, and the binary no longer links it. */
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "lazylib.h"

/* globals.h makes xmlFree a call (*__xmlFree()) in builds with per-thread
 * allocators; cck_xml_free reads the variable of the other builds. */
#ifdef LIBXML_THREAD_ALLOC_ENABLED
#error "libxml2 with LIBXML_THREAD_ALLOC_ENABLED: cck_xml_free must call __xmlFree()"
#endif

cck_lazylib cck_lazy_xml = CCK_LAZYLIB_INIT("libxml2", "libxml2.so.2");

/* The real `name` with the type libxml2's header gives it, or NULL. */
#define REAL(slot, name) ((__typeof__(&name))cck_lazylib_fn(&cck_lazy_xml, &(slot), #name))

xmlDocPtr xmlReadMemory(const char *buffer, int size, const char *URL, const char *encoding,
                        int options)
{
    static cck_lazyfn slot;
    __typeof__(&xmlReadMemory) f = REAL(slot, xmlReadMemory);
    return f ? f(buffer, size, URL, encoding, options) : NULL;
}

void xmlFreeDoc(xmlDocPtr cur)
{
    static cck_lazyfn slot;
    __typeof__(&xmlFreeDoc) f = REAL(slot, xmlFreeDoc);
    if (f)
        f(cur);
}

xmlNodePtr xmlDocGetRootElement(const xmlDoc *doc)
{
    static cck_lazyfn slot;
    __typeof__(&xmlDocGetRootElement) f = REAL(slot, xmlDocGetRootElement);
    return f ? f(doc) : NULL;
}

xmlChar *xmlGetNoNsProp(const xmlNode *node, const xmlChar *name)
{
    static cck_lazyfn slot;
    __typeof__(&xmlGetNoNsProp) f = REAL(slot, xmlGetNoNsProp);
    return f ? f(node, name) : NULL;
}

xmlChar *xmlNodeGetContent(const xmlNode *cur)
{
    static cck_lazyfn slot;
    __typeof__(&xmlNodeGetContent) f = REAL(slot, xmlNodeGetContent);
    return f ? f(cur) : NULL;
}

void cck_xml_free(void *p)
{
    static cck_lazyfn slot;
    /* dlsym gives the address of the variable, which holds the function. */
    xmlFreeFunc *var = cck_lazylib_fn(&cck_lazy_xml, &slot, "xmlFree");
    if (var && *var)
        (*var)(p);
}

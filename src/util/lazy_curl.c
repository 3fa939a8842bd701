/* lazy_curl.c - libcurl loaded on first use (lazylib.h): one trampoline per
 * libcurl function calcheck calls (caldav.c, mail.c), each under libcurl's own
 * name and prototype, resolving the real function in libcurl.so.4 once.
 * These symbols are libcurl's names, not cck_ ones, on purpose: the callers
 * keep calling libcurl as documented, and the binary no longer links it. */
#define CURL_DISABLE_TYPECHECK /* curl_easy_setopt/getinfo as functions, not GCC macros */
#include <curl/curl.h>
#undef curl_easy_setopt
#undef curl_easy_getinfo

#include <stdarg.h>

#include "lazylib.h"

cck_lazylib cck_lazy_curl = CCK_LAZYLIB_INIT("libcurl", "libcurl.so.4");

/* The real `name` with the type libcurl's header gives it, or NULL. */
#define REAL(slot, name) ((__typeof__(&name))cck_lazylib_fn(&cck_lazy_curl, &(slot), #name))

CURLcode curl_global_init(long flags)
{
    static cck_lazyfn slot;
    __typeof__(&curl_global_init) f = REAL(slot, curl_global_init);
    return f ? f(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void)
{
    static cck_lazyfn slot;
    __typeof__(&curl_easy_init) f = REAL(slot, curl_easy_init);
    return f ? f() : NULL;
}

void curl_easy_cleanup(CURL *curl)
{
    static cck_lazyfn slot;
    __typeof__(&curl_easy_cleanup) f = REAL(slot, curl_easy_cleanup);
    if (f)
        f(curl);
}

CURLcode curl_easy_perform(CURL *curl)
{
    static cck_lazyfn slot;
    __typeof__(&curl_easy_perform) f = REAL(slot, curl_easy_perform);
    return f ? f(curl) : CURLE_FAILED_INIT;
}

/* The third argument is read with the type libcurl reads it with, from the
 * option number's range (curl.h: CURLOPTTYPE_*): long, an object pointer
 * (void *, as libcurl itself reads its data and string options), a
 * function pointer, curl_off_t, or struct curl_blob *. A function pointer
 * is read as its exact callback type, so only the callbacks listed here are
 * forwarded; add a case for another one. */
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
    static cck_lazyfn slot;
    __typeof__(&curl_easy_setopt) f = REAL(slot, curl_easy_setopt);
    if (!f)
        return CURLE_FAILED_INIT;
    CURLcode rc;
    va_list ap;
    va_start(ap, option);
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = f(curl, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = f(curl, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T) {
        switch (option) {
        case CURLOPT_WRITEFUNCTION:
        case CURLOPT_HEADERFUNCTION:
            rc = f(curl, option, va_arg(ap, curl_write_callback));
            break;
        case CURLOPT_READFUNCTION:
            rc = f(curl, option, va_arg(ap, curl_read_callback));
            break;
        default:
            rc = CURLE_BAD_FUNCTION_ARGUMENT;
            break;
        }
    } else if (option < CURLOPTTYPE_BLOB)
        rc = f(curl, option, va_arg(ap, curl_off_t));
    else
        rc = f(curl, option, va_arg(ap, struct curl_blob *));
    va_end(ap);
    return rc;
}

/* Every CURLINFO takes a pointer (long *, char **, curl_off_t *, ...). */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
    static cck_lazyfn slot;
    __typeof__(&curl_easy_getinfo) f = REAL(slot, curl_easy_getinfo);
    if (!f)
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    CURLcode rc = f(curl, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

const char *curl_easy_strerror(CURLcode code)
{
    static cck_lazyfn slot;
    __typeof__(&curl_easy_strerror) f = REAL(slot, curl_easy_strerror);
    return f ? f(code) : "libcurl is not loaded";
}

void curl_free(void *p)
{
    static cck_lazyfn slot;
    __typeof__(&curl_free) f = REAL(slot, curl_free);
    if (f)
        f(p);
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data)
{
    static cck_lazyfn slot;
    __typeof__(&curl_slist_append) f = REAL(slot, curl_slist_append);
    return f ? f(list, data) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
    static cck_lazyfn slot;
    __typeof__(&curl_slist_free_all) f = REAL(slot, curl_slist_free_all);
    if (f)
        f(list);
}

CURLU *curl_url(void)
{
    static cck_lazyfn slot;
    __typeof__(&curl_url) f = REAL(slot, curl_url);
    return f ? f() : NULL;
}

void curl_url_cleanup(CURLU *handle)
{
    static cck_lazyfn slot;
    __typeof__(&curl_url_cleanup) f = REAL(slot, curl_url_cleanup);
    if (f)
        f(handle);
}

CURLUcode curl_url_get(CURLU *handle, CURLUPart what, char **part, unsigned int flags)
{
    static cck_lazyfn slot;
    __typeof__(&curl_url_get) f = REAL(slot, curl_url_get);
    if (f)
        return f(handle, what, part, flags);
    if (part)
        *part = NULL; /* as libcurl does on failure */
    return CURLUE_OUT_OF_MEMORY;
}

CURLUcode curl_url_set(CURLU *handle, CURLUPart what, const char *part, unsigned int flags)
{
    static cck_lazyfn slot;
    __typeof__(&curl_url_set) f = REAL(slot, curl_url_set);
    return f ? f(handle, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

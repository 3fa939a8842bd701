/* lazylib.h - shared libraries opened with dlopen on first use instead of at
 * start-up: libcurl (CalDAV, -R), libxml2 (CalDAV answers) and libpff (PST/OST,
 * with its own dependency libbfio). Loading them with the binary costs about
 * 18 ms per process, which checking an .ics or .msg file never needs.
 *
 * How it fits together: src/util/lazy_curl.c, lazy_xml.c and lazy_pff.c
 * define, under the libraries' own names and prototypes, every library
 * function calcheck calls (trampolines); each resolves the real function in
 * its library on the first call, keeps the address, and calls it. The callers
 * (caldav.c, davxml.c, mail.c, pst.c) include the real headers and call the
 * functions as before. If a library cannot be loaded, a trampoline returns that
 * function's failure value (NULL, CURLE_FAILED_INIT, -1, ...) and never
 * crashes; the entry points call cck_lazylib_load first to say why:
 * "cannot load libpff (libpff.so.1: cannot open shared object file: ...)".
 *
 * Contract: a cck_lazylib is loaded at most once per process, whatever the
 * threads: the first cck_lazylib_load (or the first trampoline call) opens it
 * with RTLD_NOW | RTLD_LOCAL, and the outcome, success or failure with its
 * text, stays for the life of the process. A loaded library is never closed.
 * All functions here are safe to call from any thread; after fork the child
 * keeps what the parent loaded.
 *
 * Ownership: the descriptors are static objects (defined in lazy_*.c) owning
 * their dlopen handle and error text; error texts are copied into the
 * caller's buffer or returned as pointers into the descriptor, valid for the
 * life of the process.
 */
#ifndef CCK_LAZYLIB_H
#define CCK_LAZYLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Room for "cannot load NAME (dlerror text)". */
#define CCK_LAZYLIB_ERR_MAX 512

typedef struct cck_lazylib {
    const char *name;   /* for messages: "libcurl" */
    const char *soname; /* what dlopen is given: "libcurl.so.4"; may be changed
                           before the first load (tests/unit/test_lazymissing.c) */
    /* Internal: set under `lock` by the first load. */
    pthread_mutex_t lock;
    bool tried;
    void *handle; /* the dlopen handle, or NULL when the load failed */
    char error[CCK_LAZYLIB_ERR_MAX];
} cck_lazylib;

#define CCK_LAZYLIB_INIT(name, soname)                                                             \
    {                                                                                              \
        (name), (soname), PTHREAD_MUTEX_INITIALIZER, false, NULL, ""                               \
    }

/* The libraries calcheck loads this way. */
extern cck_lazylib cck_lazy_curl; /* libcurl.so.4 (lazy_curl.c) */
extern cck_lazylib cck_lazy_xml;  /* libxml2.so.2 (lazy_xml.c) */
extern cck_lazylib cck_lazy_pff;  /* libpff.so.1 (lazy_pff.c), which brings libbfio */

/* Loads lib unless that was tried before. true when it is loaded; false with
 * "cannot load NAME (reason)" copied into err (when err is not NULL). */
bool cck_lazylib_load(cck_lazylib *lib, char *err, size_t errlen);

/* The load error text of a lib whose load failed ("" before any load or after
 * a successful one); valid for the life of the process. */
const char *cck_lazylib_error(cck_lazylib *lib);

/* The address of symbol `name` in lib (loading lib first if needed), or NULL
 * when lib cannot be loaded or has no such symbol. */
void *cck_lazylib_sym(cck_lazylib *lib, const char *name);

/* A trampoline's cache of its real function's address. */
typedef void *_Atomic cck_lazyfn;

/* cck_lazylib_sym, looked up once and kept in *slot (a static of the
 * trampoline); later calls cost one atomic load. */
void *cck_lazylib_fn(cck_lazylib *lib, cck_lazyfn *slot, const char *name);

/* libxml2's xmlFree is a variable (a function pointer, libxml/globals.h),
 * not a function, so it has no trampoline: davxml.c frees what libxml2
 * returned with this, which calls through that variable (nothing when
 * libxml2 is not loaded, as nothing can then have come from it). */
void cck_xml_free(void *p);

#endif

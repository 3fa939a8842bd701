/* lazylib.c - opens a shared library with dlopen the first time calcheck
 * needs it (lazylib.h): once per process under the descriptor's mutex, the
 * outcome kept; symbol lookups for the trampolines of lazy_curl.c,
 * lazy_xml.c and lazy_pff.c, cached with one atomic load per call. */
#include "lazylib.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>

bool cck_lazylib_load(cck_lazylib *lib, char *err, size_t errlen)
{
    pthread_mutex_lock(&lib->lock);
    if (!lib->tried) {
        lib->tried = true;
        lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
        if (!lib->handle) {
            const char *why = dlerror();
            snprintf(lib->error, sizeof lib->error, "cannot load %s (%s)", lib->name,
                     why ? why : lib->soname);
        }
    }
    bool ok = lib->handle != NULL;
    pthread_mutex_unlock(&lib->lock);
    if (!ok && err && errlen)
        snprintf(err, errlen, "%s", lib->error);
    return ok;
}

const char *cck_lazylib_error(cck_lazylib *lib)
{
    pthread_mutex_lock(&lib->lock);
    const char *e = lib->error;
    pthread_mutex_unlock(&lib->lock);
    return e;
}

void *cck_lazylib_sym(cck_lazylib *lib, const char *name)
{
    if (!cck_lazylib_load(lib, NULL, 0))
        return NULL;
    return dlsym(lib->handle, name);
}

void *cck_lazylib_fn(cck_lazylib *lib, cck_lazyfn *slot, const char *name)
{
    void *p = atomic_load_explicit(slot, memory_order_acquire);
    if (!p) {
        /* Two threads may both look it up: they find the same address. */
        p = cck_lazylib_sym(lib, name);
        if (p)
            atomic_store_explicit(slot, p, memory_order_release);
    }
    return p;
}

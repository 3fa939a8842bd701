/* lazy_fx.h - for the tests of libraries loaded on first use (util/lazylib.h):
 * whether a shared library is in the process now, without loading it. The
 * including file defines _GNU_SOURCE first (RTLD_NOLOAD). */
#ifndef LAZY_FX_H
#define LAZY_FX_H

#include <dlfcn.h>
#include <stdbool.h>

static inline bool in_process(const char *soname)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
    if (h)
        dlclose(h);
    return h != NULL;
}

#endif

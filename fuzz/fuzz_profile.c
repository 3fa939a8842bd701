/* fuzz_profile.c - libFuzzer target for the profile file parser (src/profile.h): the input is
 * a profile file; it is parsed for its only profile, for a named one and for its section names,
 * and the address mapping is asked for a mailbox. Secrets are never read. */
#include <stdint.h>
#include <stdlib.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512], addr[256];
    const char *names[] = {NULL, "prod", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cck_profile *p =
            cck_profile_parse((const char *)data, size, "fuzz", names[i], err, sizeof err);
        if (p) {
            cck_profile_address(p, "u01", addr, sizeof addr);
            cck_profile_free(p);
        }
    }
    return 0;
}

/* fuzz_caldav_xml.c - libFuzzer target for the WebDAV multistatus parser
 * (src/sources/davxml.h, RFC 4918 §13 with the CalDAV properties of RFC 4791): parses the input
 * and touches every string of every response, so a dangling or unterminated one is found by
 * ASan. */
#include <stdint.h>
#include <string.h>

#include "sources/davxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
    if (s)
        sink += strlen(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cck_dav_ms *m = NULL;
    const char *why = NULL;
    if (cck_dav_ms_parse((const char *)data, size, &m, &why) != 0) {
        touch(why);
        return 0;
    }
    for (size_t i = 0; i < cck_dav_ms_count(m); i++) {
        const cck_dav_resp *r = cck_dav_ms_at(m, i);
        touch(r->href);
        touch(r->displayname);
        touch(r->etag);
        touch(r->user_principal);
        touch(r->home);
        for (size_t k = 0; k < r->n_addresses; k++)
            touch(r->addresses[k]);
        if (r->data && r->data_len)
            sink += (unsigned char)r->data[r->data_len - 1];
    }
    cck_dav_ms_free(m);
    return 0;
}

/* msgcopy.c - reads a .msg with cck_msg_open and writes it back with
 * cck_msg_write ([MS-OXMSG] on [MS-CFB] through src/msg/write.c), so tests
 * can check the writer against an independent reader (libolecf) and against
 * calcheck's own dump of the original.
 *
 * Usage: msgcopy IN.msg OUT.msg. Exit 0, or 2 with "msgcopy: reason".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msg/msg.h"
#include "msg/write.h"
#include "util/arena.h"
#include "util/file.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: msgcopy IN.msg OUT.msg\n");
        return 2;
    }
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    if (!a) {
        fprintf(stderr, "msgcopy: out of memory\n");
        return 2;
    }
    int rc = 2;
    const char *why = NULL;
    cck_file f = {0};
    cck_msg *m = NULL;
    FILE *out = NULL;
    if (cck_file_read(argv[1], CCK_FILE_MAX, &f, &why) != 0) {
        fprintf(stderr, "msgcopy: %s: %s\n", argv[1], why ? why : "cannot read");
    } else if (cck_msg_open(f.data, f.len, a, &m, &why) != CCK_MSG_OK) {
        fprintf(stderr, "msgcopy: %s: %s\n", argv[1], why ? why : "not a .msg");
    } else if (!(out = fopen(argv[2], "wb"))) {
        fprintf(stderr, "msgcopy: %s: %s\n", argv[2], strerror(errno));
    } else if (cck_msg_write(m, out, &why) != 0) {
        fprintf(stderr, "msgcopy: %s: %s\n", argv[2], why);
    } else {
        rc = 0;
    }
    if (out && fclose(out) != 0 && rc == 0) {
        fprintf(stderr, "msgcopy: %s: %s\n", argv[2], strerror(errno));
        rc = 2;
    }
    cck_file_release(&f);
    cck_arena_free(a);
    return rc;
}

/* write.h - a cck_msg tree written back out as an Outlook .msg file.
 *
 * cck_msg_write() writes the whole tree - properties, recipients,
 * attachments, embedded messages at any depth - as [MS-OXMSG] on top of the
 * compound-file writer (cfbwrite.h). The tree may come from cck_msg_open or
 * from the builder API (PST/OST). What changes on the way:
 *
 *  - Strings are written as PT_UNICODE (UTF-16LE, from the UTF-8 `str`); a
 *    PT_STRING8 value, single or multi-valued, becomes PT_UNICODE, so the
 *    copy no longer depends on the code page. A PT_UNICODE value whose source
 *    held invalid UTF-16 (str.bad > 0) is written from its raw bytes, so the
 *    damage is kept as it was.
 *  - Named properties get ids from a new name map built from the keys found
 *    in the whole tree (the same key has the same id everywhere, embedded
 *    messages included). A tree read from a .msg keeps its ids (its map is
 *    the starting point, so unused entries survive too); keys without an
 *    entry get the lowest free index. A named id without a key (unresolved
 *    in the source) is written with its id unchanged and stays unresolved.
 *  - An attachment holding an embedded message gets PidTagAttachDataObject
 *    (0x3701000D) as the storage of that message, and PidTagAttachMethod 5
 *    when it has no attach method.
 *  - Properties of types the writer does not know are written as their raw
 *    bytes with their type: 8 bytes inline, anything else as a stream.
 *  - Not kept: the contents of OLE storages (attach method 6; the reader
 *    does not keep them), the damage reasons of recipients and attachments
 *    that could not be read (written as empty property lists), problems, the
 *    padding bytes of fixed-size values, and the order of property entries
 *    (written by id).
 */
#ifndef CCK_MSG_WRITE_H
#define CCK_MSG_WRITE_H

#include <stdio.h>

#include "cfbwrite.h"
#include "msg.h"

/* Writes message `m` as a .msg to `out` (not closed). Returns 0, or -1 with
 * *why (when why is non-NULL) set to a static reason. */
int cck_msg_write(const cck_msg *m, FILE *out, const char **why);

/* Builds the storages and streams of `m` into the root of a new compound
 * file writer `w` (for callers that add to it or want the image in memory). */
int cck_msg_write_cfb(const cck_msg *m, cck_cfbw *w, const char **why);

#endif

/* pds.h - PropertyDefinition stream (PidLidPropertyDefinitionStream, [MS-OXPROPS]
 * 2.212; format in the Outlook MAPI reference "PropertyDefinition Stream
 * Structure", "FieldDefinition", "PackedAnsiString", "SkipBlock").
 *
 * The stream lists the user-defined fields of an item: a Version (PropDefV1
 * 0x0102 or PropDefV2 0x0103), a count, and FieldDefinition entries. The
 * parser decodes what the bytes allow, records problems ("pds.*", offsets
 * from the start of the stream) in the caller's cck_problems and returns NULL
 * only when the arena is exhausted. A corrupt stream (a field with a non-zero
 * name length but an empty name, or a truncated stream) is what CalCheck's
 * checks 0056/0057 look for. Everything returned lives in the caller's arena.
 */
#ifndef CCK_PDS_H
#define CCK_PDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/emit.h"
#include "util/problems.h"
#include "util/text.h"

#define CCK_PDS_V1 0x0102
#define CCK_PDS_V2 0x0103
/* Most FieldDefinitions decoded; more are reported as "pds.too_many". */
#define CCK_PDS_MAX_FIELDS 4096
/* Most SkipBlocks followed per FieldDefinition before giving up. */
#define CCK_PDS_MAX_SKIP_BLOCKS 256

/* Flags bits of a FieldDefinition. */
#define CCK_PDO_IS_CUSTOM        0x00000001
#define CCK_PDO_REQUIRED         0x00000002
#define CCK_PDO_PRINT_SAVEAS     0x00000004
#define CCK_PDO_CALC_AUTO        0x00000008
#define CCK_PDO_FT_CONCAT        0x00000010
#define CCK_PDO_FT_SWITCH        0x00000020
#define CCK_PDO_PRINT_SAVEAS_DEF 0x00000040

typedef struct cck_pds_field {
    uint64_t offset;         /* of this FieldDefinition in the stream */
    uint32_t Flags;          /* CCK_PDO_* */
    uint16_t VT;             /* VARTYPE of the field */
    uint32_t DispId;         /* 0, or the LID of a named property */
    uint16_t NmidNameLength; /* in WCHARs */
    cck_str NmidName;
    /* PackedAnsiString members (8-bit, shown assuming Windows-1252). */
    cck_str NameANSI, FormulaANSI, ValidationRuleANSI, ValidationTextANSI, ErrorANSI;
    uint32_t InternalType;
    size_t n_skip_blocks; /* PropDefV2: blocks before the terminating empty one */
    bool has_field_name;  /* the first SkipBlock held a PackedUnicodeString */
    cck_str FieldName;
    bool complete;
} cck_pds_field;

typedef struct cck_pds {
    uint16_t Version;
    uint32_t FieldDefinitionCount;
    cck_pds_field *FieldDefinitions; /* n_fields of them */
    size_t n_fields;
    bool complete;
} cck_pds;

const cck_pds *cck_pds_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr);
/* One object named `key` with the stream's members and a "problems" array of
 * `pr` (the list the parse wrote to, or NULL). */
void cck_pds_emit(const cck_pds *d, const cck_problems *pr, cck_emit *e, const char *key);
/* "VT_BSTR", ... or NULL. */
const char *cck_pds_vt_name(uint16_t vt);

#endif

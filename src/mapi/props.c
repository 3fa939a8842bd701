/* props.c - property types, property-set GUIDs and canonical property names.
 * Names and ids follow [MS-OXPROPS] section 2 (PidTag*, PidLid*) and
 * [MS-OXCDATA] 2.11.1 (types); only properties calendar work meets are listed. */
#include "props.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* Builds the on-disk byte order of {d1-d2-d3-d4[0..1]-d4[2..7]}. */
#define GUID(d1, d2, d3, a, b, c, d, e, f, g, h)                                                   \
    {                                                                                              \
        {                                                                                          \
            (d1) & 0xFF, ((d1) >> 8) & 0xFF, ((d1) >> 16) & 0xFF, ((d1) >> 24) & 0xFF, (d2)&0xFF,  \
                ((d2) >> 8) & 0xFF, (d3)&0xFF, ((d3) >> 8) & 0xFF, a, b, c, d, e, f, g, h          \
        }                                                                                          \
    }

const cck_guid CCK_PSETID_APPOINTMENT =
    GUID(0x00062002, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PSETID_MEETING =
    GUID(0x6ED8DA90, 0x450B, 0x101B, 0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05);
const cck_guid CCK_PSETID_COMMON =
    GUID(0x00062008, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PSETID_ADDRESS =
    GUID(0x00062004, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PSETID_TASK =
    GUID(0x00062003, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PSETID_LOG =
    GUID(0x0006200A, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PSETID_NOTE =
    GUID(0x0006200E, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PS_PUBLIC_STRINGS =
    GUID(0x00020329, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PS_MAPI =
    GUID(0x00020328, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PS_INTERNET_HEADERS =
    GUID(0x00020386, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
const cck_guid CCK_PSETID_CALENDAR_ASSISTANT =
    GUID(0x11000E07, 0xB51B, 0x40D6, 0xAF, 0x21, 0xCA, 0xA8, 0x5E, 0xDA, 0xB1, 0xD0);

bool cck_guid_eq(const cck_guid *a, const cck_guid *b)
{
    return memcmp(a->b, b->b, 16) == 0;
}

char *cck_guid_fmt(const cck_guid *g, char *buf)
{
    const uint8_t *b = g->b;
    snprintf(buf, CCK_GUID_BUF,
             "{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}", b[3], b[2],
             b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return buf;
}

static const struct {
    const cck_guid *g;
    const char *name;
} sets[] = {
    {&CCK_PSETID_APPOINTMENT, "PSETID_Appointment"},
    {&CCK_PSETID_MEETING, "PSETID_Meeting"},
    {&CCK_PSETID_COMMON, "PSETID_Common"},
    {&CCK_PSETID_ADDRESS, "PSETID_Address"},
    {&CCK_PSETID_TASK, "PSETID_Task"},
    {&CCK_PSETID_LOG, "PSETID_Log"},
    {&CCK_PSETID_NOTE, "PSETID_Note"},
    {&CCK_PS_PUBLIC_STRINGS, "PS_PUBLIC_STRINGS"},
    {&CCK_PS_MAPI, "PS_MAPI"},
    {&CCK_PS_INTERNET_HEADERS, "PS_INTERNET_HEADERS"},
    {&CCK_PSETID_CALENDAR_ASSISTANT, "PSETID_CalendarAssistant"},
};

const char *cck_guid_set_name(const cck_guid *g)
{
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        if (cck_guid_eq(g, sets[i].g))
            return sets[i].name;
    return NULL;
}

static const struct {
    uint16_t type;
    const char *name;
    size_t size;
} types[] = {
    {CCK_PT_UNSPECIFIED, "PT_UNSPECIFIED", 0},
    {CCK_PT_NULL, "PT_NULL", 0},
    {CCK_PT_I2, "PT_I2", 2},
    {CCK_PT_LONG, "PT_LONG", 4},
    {CCK_PT_R4, "PT_FLOAT", 4},
    {CCK_PT_DOUBLE, "PT_DOUBLE", 8},
    {CCK_PT_CURRENCY, "PT_CURRENCY", 8},
    {CCK_PT_APPTIME, "PT_APPTIME", 8},
    {CCK_PT_ERROR, "PT_ERROR", 4},
    {CCK_PT_BOOLEAN, "PT_BOOLEAN", 2},
    {CCK_PT_OBJECT, "PT_OBJECT", 0},
    {CCK_PT_I8, "PT_I8", 8},
    {CCK_PT_STRING8, "PT_STRING8", 0},
    {CCK_PT_UNICODE, "PT_UNICODE", 0},
    {CCK_PT_SYSTIME, "PT_SYSTIME", 8},
    {CCK_PT_CLSID, "PT_CLSID", 0},
    {CCK_PT_SVREID, "PT_SVREID", 0},
    {CCK_PT_SRESTRICT, "PT_SRESTRICT", 0},
    {CCK_PT_ACTIONS, "PT_ACTIONS", 0},
    {CCK_PT_BINARY, "PT_BINARY", 0},
};

static const char *mv_names[] = {"PT_MV_I2",       "PT_MV_LONG",    "PT_MV_FLOAT", "PT_MV_DOUBLE",
                                 "PT_MV_CURRENCY", "PT_MV_APPTIME", "PT_MV_I8",    "PT_MV_STRING8",
                                 "PT_MV_UNICODE",  "PT_MV_SYSTIME", "PT_MV_CLSID", "PT_MV_BINARY"};
static const uint16_t mv_types[] = {CCK_PT_I2,       CCK_PT_LONG,    CCK_PT_R4,    CCK_PT_DOUBLE,
                                    CCK_PT_CURRENCY, CCK_PT_APPTIME, CCK_PT_I8,    CCK_PT_STRING8,
                                    CCK_PT_UNICODE,  CCK_PT_SYSTIME, CCK_PT_CLSID, CCK_PT_BINARY};

const char *cck_pt_name(uint16_t type)
{
    if (type & CCK_PT_MV) {
        for (size_t i = 0; i < sizeof mv_types / sizeof mv_types[0]; i++)
            if (mv_types[i] == (type & ~CCK_PT_MV))
                return mv_names[i];
        return NULL;
    }
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].type == type)
            return types[i].name;
    return NULL;
}

size_t cck_pt_fixed_size(uint16_t type)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].type == type)
            return types[i].size;
    return 0;
}

size_t cck_pt_mv_elem_size(uint16_t elem)
{
    switch (elem) {
    case CCK_PT_I2:
        return 2;
    case CCK_PT_LONG:
    case CCK_PT_R4:
        return 4;
    case CCK_PT_DOUBLE:
    case CCK_PT_CURRENCY:
    case CCK_PT_APPTIME:
    case CCK_PT_I8:
    case CCK_PT_SYSTIME:
        return 8;
    case CCK_PT_CLSID:
        return 16;
    default:
        return 0;
    }
}

/* Tagged properties calendar items carry, by id. */
static const struct {
    uint16_t id;
    const char *name;
} tags[] = {
    {0x0002, "PidTagAlternateRecipientAllowed"},
    {0x0017, "PidTagImportance"},
    {0x001A, "PidTagMessageClass"},
    {0x0023, "PidTagOriginatorDeliveryReportRequested"},
    {0x0026, "PidTagPriority"},
    {0x0029, "PidTagReadReceiptRequested"},
    {0x002B, "PidTagRecipientReassignmentProhibited"},
    {0x002E, "PidTagOriginalSensitivity"},
    {0x0036, "PidTagSensitivity"},
    {0x0037, "PidTagSubject"},
    {0x0039, "PidTagClientSubmitTime"},
    {0x003B, "PidTagSentRepresentingSearchKey"},
    {0x003D, "PidTagSubjectPrefix"},
    {0x0041, "PidTagSentRepresentingEntryId"},
    {0x0042, "PidTagSentRepresentingName"},
    {0x0047, "PidTagMessageSubmissionId"},
    {0x004F, "PidTagReplyRecipientEntries"},
    {0x0050, "PidTagReplyRecipientNames"},
    {0x0051, "PidTagReceivedBySearchKey"},
    {0x0052, "PidTagReceivedRepresentingSearchKey"},
    {0x0057, "PidTagMessageToMe"},
    {0x0058, "PidTagMessageCcMe"},
    {0x0060, "PidTagStartDate"},
    {0x0061, "PidTagEndDate"},
    {0x0062, "PidTagOwnerAppointmentId"},
    {0x0063, "PidTagResponseRequested"},
    {0x0064, "PidTagSentRepresentingAddressType"},
    {0x0065, "PidTagSentRepresentingEmailAddress"},
    {0x0070, "PidTagConversationTopic"},
    {0x0071, "PidTagConversationIndex"},
    {0x0075, "PidTagReceivedByAddressType"},
    {0x0076, "PidTagReceivedByEmailAddress"},
    {0x0077, "PidTagReceivedRepresentingAddressType"},
    {0x0078, "PidTagReceivedRepresentingEmailAddress"},
    {0x007D, "PidTagTransportMessageHeaders"},
    {0x0C15, "PidTagRecipientType"},
    {0x0C17, "PidTagReplyRequested"},
    {0x0C19, "PidTagSenderEntryId"},
    {0x0C1A, "PidTagSenderName"},
    {0x0C1D, "PidTagSenderSearchKey"},
    {0x0C1E, "PidTagSenderAddressType"},
    {0x0C1F, "PidTagSenderEmailAddress"},
    {0x0E01, "PidTagDeleteAfterSubmit"},
    {0x0E02, "PidTagDisplayBcc"},
    {0x0E03, "PidTagDisplayCc"},
    {0x0E04, "PidTagDisplayTo"},
    {0x0E06, "PidTagMessageDeliveryTime"},
    {0x0E07, "PidTagMessageFlags"},
    {0x0E08, "PidTagMessageSize"},
    {0x0E0F, "PidTagResponsibility"},
    {0x0E17, "PidTagMessageStatus"},
    {0x0E1B, "PidTagHasAttachments"},
    {0x0E1D, "PidTagNormalizedSubject"},
    {0x0E1F, "PidTagRtfInSync"},
    {0x0E20, "PidTagAttachSize"},
    {0x0E21, "PidTagAttachNumber"},
    {0x0E2B, "PidTagToDoItemFlags"},
    {0x0E79, "PidTagTrustSender"},
    {0x0FF4, "PidTagAccess"},
    {0x0FF7, "PidTagAccessLevel"},
    {0x0FF9, "PidTagRecordKey"},
    {0x0FFE, "PidTagObjectType"},
    {0x0FFF, "PidTagEntryId"},
    {0x1000, "PidTagBody"},
    {0x1009, "PidTagRtfCompressed"},
    {0x1013, "PidTagBodyHtml"},
    {0x1035, "PidTagInternetMessageId"},
    {0x1080, "PidTagIconIndex"},
    {0x10F4, "PidTagAttributeHidden"},
    {0x300B, "PidTagSearchKey"},
    {0x3001, "PidTagDisplayName"},
    {0x3002, "PidTagAddressType"},
    {0x3003, "PidTagEmailAddress"},
    {0x3007, "PidTagCreationTime"},
    {0x3008, "PidTagLastModificationTime"},
    {0x3701, "PidTagAttachDataBinary"},
    {0x3702, "PidTagAttachEncoding"},
    {0x3703, "PidTagAttachExtension"},
    {0x3704, "PidTagAttachFilename"},
    {0x3705, "PidTagAttachMethod"},
    {0x3707, "PidTagAttachLongFilename"},
    {0x370B, "PidTagRenderingPosition"},
    {0x370E, "PidTagAttachMimeTag"},
    {0x3712, "PidTagAttachContentId"},
    {0x3714, "PidTagAttachFlags"},
    {0x3900, "PidTagDisplayType"},
    {0x39FE, "PidTagSmtpAddress"},
    {0x39FF, "PidTag7BitDisplayName"},
    {0x3A00, "PidTagAccount"},
    {0x3A20, "PidTagTransmittableDisplayName"},
    {0x3A40, "PidTagSendRichInfo"},
    {0x3A71, "PidTagSendInternetEncoding"},
    {0x3FDE, "PidTagInternetCodepage"},
    {0x3FF1, "PidTagMessageLocaleId"},
    {0x3FF8, "PidTagCreatorName"},
    {0x3FF9, "PidTagCreatorEntryId"},
    {0x3FFA, "PidTagLastModifierName"},
    {0x3FFB, "PidTagLastModifierEntryId"},
    {0x3FFD, "PidTagMessageCodepage"},
    {0x4019, "PidTagSenderFlags"},
    {0x401A, "PidTagSentRepresentingFlags"},
    {0x5902, "PidTagInternetMailOverrideFormat"},
    {0x5909, "PidTagMessageEditorFormat"},
    {0x5D01, "PidTagSenderSmtpAddress"},
    {0x5D02, "PidTagSentRepresentingSmtpAddress"},
    {0x5FF6, "PidTagRecipientDisplayName"},
    {0x5FF7, "PidTagRecipientEntryId"},
    {0x5FFB, "PidTagRecipientTrackStatusTime"},
    {0x5FFD, "PidTagRecipientFlags"},
    {0x5FFF, "PidTagRecipientTrackStatus"},
    {0x6619, "PidTagUserEntryId"},
    {0x6709, "PidTagLocalCommitTime"},
    {0x7FF9, "PidTagExceptionReplaceTime"},
    {0x7FFA, "PidTagAttachmentLinkId"},
    {0x7FFB, "PidTagExceptionStartTime"},
    {0x7FFC, "PidTagExceptionEndTime"},
    {0x7FFD, "PidTagAttachmentFlags"},
    {0x7FFE, "PidTagAttachmentHidden"},
    {0x7FFF, "PidTagAttachmentContactPhoto"},
};

const char *cck_tag_name(uint16_t id)
{
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (tags[i].id == id)
            return tags[i].name;
    return NULL;
}

static const struct {
    const cck_guid *set;
    uint32_t lid;
    const char *name;
} lids[] = {
    {&CCK_PSETID_APPOINTMENT, 0x8201, "PidLidAppointmentSequence"},
    {&CCK_PSETID_APPOINTMENT, 0x8202, "PidLidAppointmentSequenceTime"},
    {&CCK_PSETID_APPOINTMENT, 0x8203, "PidLidAppointmentLastSequence"},
    {&CCK_PSETID_APPOINTMENT, 0x8204, "PidLidChangeHighlight"},
    {&CCK_PSETID_APPOINTMENT, 0x8205, "PidLidBusyStatus"},
    {&CCK_PSETID_APPOINTMENT, 0x8206, "PidLidFExceptionalBody"},
    {&CCK_PSETID_APPOINTMENT, 0x8207, "PidLidAppointmentAuxiliaryFlags"},
    {&CCK_PSETID_APPOINTMENT, 0x8208, "PidLidLocation"},
    {&CCK_PSETID_APPOINTMENT, 0x820A, "PidLidForwardInstance"},
    {&CCK_PSETID_APPOINTMENT, 0x820C, "PidLidLinkedTaskItems"},
    {&CCK_PSETID_APPOINTMENT, 0x820D, "PidLidAppointmentStartWhole"},
    {&CCK_PSETID_APPOINTMENT, 0x820E, "PidLidAppointmentEndWhole"},
    {&CCK_PSETID_APPOINTMENT, 0x820F, "PidLidAppointmentStartTime"},
    {&CCK_PSETID_APPOINTMENT, 0x8210, "PidLidAppointmentEndTime"},
    {&CCK_PSETID_APPOINTMENT, 0x8211, "PidLidAppointmentEndDate"},
    {&CCK_PSETID_APPOINTMENT, 0x8212, "PidLidAppointmentStartDate"},
    {&CCK_PSETID_APPOINTMENT, 0x8213, "PidLidAppointmentDuration"},
    {&CCK_PSETID_APPOINTMENT, 0x8214, "PidLidAppointmentColor"},
    {&CCK_PSETID_APPOINTMENT, 0x8215, "PidLidAppointmentSubType"},
    {&CCK_PSETID_APPOINTMENT, 0x8216, "PidLidAppointmentRecur"},
    {&CCK_PSETID_APPOINTMENT, 0x8217, "PidLidAppointmentStateFlags"},
    {&CCK_PSETID_APPOINTMENT, 0x8218, "PidLidResponseStatus"},
    {&CCK_PSETID_APPOINTMENT, 0x8220, "PidLidAppointmentReplyTime"},
    {&CCK_PSETID_APPOINTMENT, 0x8223, "PidLidRecurring"},
    {&CCK_PSETID_APPOINTMENT, 0x8224, "PidLidIntendedBusyStatus"},
    {&CCK_PSETID_APPOINTMENT, 0x8226, "PidLidAppointmentUpdateTime"},
    {&CCK_PSETID_APPOINTMENT, 0x8228, "PidLidExceptionReplaceTime"},
    {&CCK_PSETID_APPOINTMENT, 0x8229, "PidLidFInvited"},
    {&CCK_PSETID_APPOINTMENT, 0x822B, "PidLidFExceptionalAttendees"},
    {&CCK_PSETID_APPOINTMENT, 0x822E, "PidLidOwnerName"},
    {&CCK_PSETID_APPOINTMENT, 0x8230, "PidLidAppointmentReplyName"},
    {&CCK_PSETID_APPOINTMENT, 0x8231, "PidLidRecurrenceType"},
    {&CCK_PSETID_APPOINTMENT, 0x8232, "PidLidRecurrencePattern"},
    {&CCK_PSETID_APPOINTMENT, 0x8233, "PidLidTimeZoneStruct"},
    {&CCK_PSETID_APPOINTMENT, 0x8234, "PidLidTimeZoneDescription"},
    {&CCK_PSETID_APPOINTMENT, 0x8235, "PidLidClipStart"},
    {&CCK_PSETID_APPOINTMENT, 0x8236, "PidLidClipEnd"},
    {&CCK_PSETID_APPOINTMENT, 0x8237, "PidLidOriginalStoreEntryId"},
    {&CCK_PSETID_APPOINTMENT, 0x8238, "PidLidAllAttendeesString"},
    {&CCK_PSETID_APPOINTMENT, 0x823A, "PidLidAutoFillLocation"},
    {&CCK_PSETID_APPOINTMENT, 0x823B, "PidLidToAttendeesString"},
    {&CCK_PSETID_APPOINTMENT, 0x823C, "PidLidCcAttendeesString"},
    {&CCK_PSETID_APPOINTMENT, 0x8240, "PidLidConferencingCheck"},
    {&CCK_PSETID_APPOINTMENT, 0x8241, "PidLidConferencingType"},
    {&CCK_PSETID_APPOINTMENT, 0x8242, "PidLidDirectory"},
    {&CCK_PSETID_APPOINTMENT, 0x8243, "PidLidOrganizerAlias"},
    {&CCK_PSETID_APPOINTMENT, 0x8244, "PidLidAutoStartCheck"},
    {&CCK_PSETID_APPOINTMENT, 0x8246, "PidLidAllowExternalCheck"},
    {&CCK_PSETID_APPOINTMENT, 0x8247, "PidLidCollaborateDoc"},
    {&CCK_PSETID_APPOINTMENT, 0x8248, "PidLidNetShowUrl"},
    {&CCK_PSETID_APPOINTMENT, 0x8249, "PidLidOnlinePassword"},
    {&CCK_PSETID_APPOINTMENT, 0x8250, "PidLidAppointmentProposedStartWhole"},
    {&CCK_PSETID_APPOINTMENT, 0x8251, "PidLidAppointmentProposedEndWhole"},
    {&CCK_PSETID_APPOINTMENT, 0x8256, "PidLidAppointmentProposedDuration"},
    {&CCK_PSETID_APPOINTMENT, 0x8257, "PidLidAppointmentCounterProposal"},
    {&CCK_PSETID_APPOINTMENT, 0x8259, "PidLidAppointmentProposalNumber"},
    {&CCK_PSETID_APPOINTMENT, 0x825A, "PidLidAppointmentNotAllowPropose"},
    {&CCK_PSETID_APPOINTMENT, 0x825D, "PidLidAppointmentUnsendableRecipients"},
    {&CCK_PSETID_APPOINTMENT, 0x825E, "PidLidAppointmentTimeZoneDefinitionStartDisplay"},
    {&CCK_PSETID_APPOINTMENT, 0x825F, "PidLidAppointmentTimeZoneDefinitionEndDisplay"},
    {&CCK_PSETID_APPOINTMENT, 0x8260, "PidLidAppointmentTimeZoneDefinitionRecur"},
    {&CCK_PSETID_APPOINTMENT, 0x8261, "PidLidForwardNotificationRecipients"},
    {&CCK_PSETID_APPOINTMENT, 0x8263, "PidLidInboundICalStream"},
    {&CCK_PSETID_APPOINTMENT, 0x8264, "PidLidSingleBodyICal"},
    {&CCK_PSETID_MEETING, 0x0001, "PidLidAttendeeCriticalChange"},
    {&CCK_PSETID_MEETING, 0x0002, "PidLidWhere"},
    {&CCK_PSETID_MEETING, 0x0003, "PidLidGlobalObjectId"},
    {&CCK_PSETID_MEETING, 0x0005, "PidLidIsRecurring"},
    {&CCK_PSETID_MEETING, 0x000A, "PidLidIsException"},
    {&CCK_PSETID_MEETING, 0x0023, "PidLidCleanGlobalObjectId"},
    {&CCK_PSETID_MEETING, 0x0024, "PidLidAppointmentMessageClass"},
    {&CCK_PSETID_MEETING, 0x0028, "PidLidOldLocation"},
    {&CCK_PSETID_COMMON, 0x8501, "PidLidReminderDelta"},
    {&CCK_PSETID_COMMON, 0x8502, "PidLidReminderTime"},
    {&CCK_PSETID_COMMON, 0x8503, "PidLidReminderSet"},
    {&CCK_PSETID_COMMON, 0x8506, "PidLidPrivate"},
    {&CCK_PSETID_COMMON, 0x850E, "PidLidAgingDontAgeMe"},
    {&CCK_PSETID_COMMON, 0x8510, "PidLidSideEffects"},
    {&CCK_PSETID_COMMON, 0x8514, "PidLidSmartNoAttach"},
    {&CCK_PSETID_COMMON, 0x8516, "PidLidCommonStart"},
    {&CCK_PSETID_COMMON, 0x8517, "PidLidCommonEnd"},
    {&CCK_PSETID_COMMON, 0x8518, "PidLidTaskMode"},
    {&CCK_PSETID_COMMON, 0x851F, "PidLidReminderFileParameter"},
    {&CCK_PSETID_COMMON, 0x8520, "PidLidVerbStream"},
    {&CCK_PSETID_COMMON, 0x8524, "PidLidVerbResponse"},
    {&CCK_PSETID_COMMON, 0x8530, "PidLidFlagRequest"},
    {&CCK_PSETID_COMMON, 0x8535, "PidLidBilling"},
    {&CCK_PSETID_COMMON, 0x8539, "PidLidCompanies"},
    {&CCK_PSETID_COMMON, 0x853A, "PidLidContacts"},
    {&CCK_PSETID_COMMON, 0x8540, "PidLidPropertyDefinitionStream"},
    {&CCK_PSETID_COMMON, 0x8552, "PidLidCurrentVersion"},
    {&CCK_PSETID_COMMON, 0x8554, "PidLidCurrentVersionName"},
    {&CCK_PSETID_COMMON, 0x8560, "PidLidReminderSignalTime"},
    {&CCK_PSETID_COMMON, 0x8580, "PidLidInternetAccountName"},
    {&CCK_PSETID_COMMON, 0x8581, "PidLidInternetAccountStamp"},
    {&CCK_PSETID_COMMON, 0x8582, "PidLidUseTnef"},
    {&CCK_PSETID_COMMON, 0x85B5, "PidLidClassified"},
    {&CCK_PSETID_COMMON, 0x85BF, "PidLidValidFlagStringProof"},
    {&CCK_PSETID_COMMON, 0x85C6, "PidLidPendingStateForSiteMailboxDocument"},
    {&CCK_PSETID_COMMON, 0x85CA, "PidLidToDoTitle"},
    {&CCK_PSETID_COMMON, 0x85CC, "PidLidToDoOrdinalDate"},
    {&CCK_PSETID_COMMON, 0x85D0, "PidLidToDoSubOrdinal"},
};

const char *cck_lid_name(const cck_guid *set, uint32_t lid)
{
    for (size_t i = 0; i < sizeof lids / sizeof lids[0]; i++)
        if (lids[i].lid == lid && cck_guid_eq(lids[i].set, set))
            return lids[i].name;
    return NULL;
}

bool cck_is_appointment_class(const char *s, size_t n)
{
    static const char base[] = "IPM.Appointment";
    size_t k = sizeof base - 1;
    return s && n >= k && cck_starts_ci(s, base) && (n == k || s[k] == '.');
}

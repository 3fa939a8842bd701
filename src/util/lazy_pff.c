/* lazy_pff.c - libpff loaded on first use (lazylib.h): one trampoline per
 * libpff function pst.c calls, each under libpff's own name and prototype,
 * resolving the real function in libpff.so.1 once (libpff brings its own
 * dependency libbfio, which calcheck never calls). Without libpff every
 * function returning int returns libpff's failure value, -1, leaving *error
 * alone. These symbols are libpff's names, not cck_ ones, on purpose: the
 * caller keeps calling libpff as documented, and the binary no longer links it. */
#include <libpff.h>

#include "lazylib.h"

cck_lazylib cck_lazy_pff = CCK_LAZYLIB_INIT("libpff", "libpff.so.1");

/* The real `name` with the type libpff's header gives it, or NULL. */
#define REAL(slot, name) ((__typeof__(&name))cck_lazylib_fn(&cck_lazy_pff, &(slot), #name))

int libpff_attachment_get_item(libpff_item_t *attachment, libpff_item_t **attached_item,
                               libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_attachment_get_item) f = REAL(slot, libpff_attachment_get_item);
    return f ? f(attachment, attached_item, error) : -1;
}

int libpff_attachment_get_type(libpff_item_t *attachment, int *attachment_type,
                               libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_attachment_get_type) f = REAL(slot, libpff_attachment_get_type);
    return f ? f(attachment, attachment_type, error) : -1;
}

int libpff_check_file_signature(const char *filename, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_check_file_signature) f = REAL(slot, libpff_check_file_signature);
    return f ? f(filename, error) : -1;
}

void libpff_error_free(libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_error_free) f = REAL(slot, libpff_error_free);
    if (f)
        f(error);
}

int libpff_error_sprint(libpff_error_t *error, char *string, size_t size)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_error_sprint) f = REAL(slot, libpff_error_sprint);
    return f ? f(error, string, size) : -1;
}

int libpff_file_close(libpff_file_t *file, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_close) f = REAL(slot, libpff_file_close);
    return f ? f(file, error) : -1;
}

int libpff_file_free(libpff_file_t **file, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_free) f = REAL(slot, libpff_file_free);
    return f ? f(file, error) : -1;
}

int libpff_file_get_ascii_codepage(libpff_file_t *file, int *ascii_codepage, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_get_ascii_codepage) f = REAL(slot, libpff_file_get_ascii_codepage);
    return f ? f(file, ascii_codepage, error) : -1;
}

int libpff_file_get_content_type(libpff_file_t *file, uint8_t *content_type, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_get_content_type) f = REAL(slot, libpff_file_get_content_type);
    return f ? f(file, content_type, error) : -1;
}

int libpff_file_get_item_by_identifier(libpff_file_t *file, uint32_t item_identifier,
                                       libpff_item_t **item, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_get_item_by_identifier) f =
        REAL(slot, libpff_file_get_item_by_identifier);
    return f ? f(file, item_identifier, item, error) : -1;
}

int libpff_file_get_message_store(libpff_file_t *file, libpff_item_t **message_store,
                                  libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_get_message_store) f = REAL(slot, libpff_file_get_message_store);
    return f ? f(file, message_store, error) : -1;
}

int libpff_file_get_root_folder(libpff_file_t *file, libpff_item_t **root_folder,
                                libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_get_root_folder) f = REAL(slot, libpff_file_get_root_folder);
    return f ? f(file, root_folder, error) : -1;
}

int libpff_file_get_type(libpff_file_t *file, uint8_t *type, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_get_type) f = REAL(slot, libpff_file_get_type);
    return f ? f(file, type, error) : -1;
}

int libpff_file_initialize(libpff_file_t **file, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_initialize) f = REAL(slot, libpff_file_initialize);
    return f ? f(file, error) : -1;
}

int libpff_file_open(libpff_file_t *file, const char *filename, int access_flags,
                     libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_file_open) f = REAL(slot, libpff_file_open);
    return f ? f(file, filename, access_flags, error) : -1;
}

int libpff_folder_get_number_of_sub_folders(libpff_item_t *folder, int *number_of_sub_folders,
                                            libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_folder_get_number_of_sub_folders) f =
        REAL(slot, libpff_folder_get_number_of_sub_folders);
    return f ? f(folder, number_of_sub_folders, error) : -1;
}

int libpff_folder_get_number_of_sub_messages(libpff_item_t *folder, int *number_of_sub_messages,
                                             libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_folder_get_number_of_sub_messages) f =
        REAL(slot, libpff_folder_get_number_of_sub_messages);
    return f ? f(folder, number_of_sub_messages, error) : -1;
}

int libpff_folder_get_sub_folder(libpff_item_t *folder, int sub_folder_index,
                                 libpff_item_t **sub_folder, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_folder_get_sub_folder) f = REAL(slot, libpff_folder_get_sub_folder);
    return f ? f(folder, sub_folder_index, sub_folder, error) : -1;
}

int libpff_folder_get_sub_message(libpff_item_t *folder, int sub_message_index,
                                  libpff_item_t **sub_message, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_folder_get_sub_message) f = REAL(slot, libpff_folder_get_sub_message);
    return f ? f(folder, sub_message_index, sub_message, error) : -1;
}

int libpff_item_clone(libpff_item_t **destination_item, libpff_item_t *source_item,
                      libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_item_clone) f = REAL(slot, libpff_item_clone);
    return f ? f(destination_item, source_item, error) : -1;
}

int libpff_item_free(libpff_item_t **item, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_item_free) f = REAL(slot, libpff_item_free);
    return f ? f(item, error) : -1;
}

int libpff_item_get_identifier(libpff_item_t *item, uint32_t *identifier, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_item_get_identifier) f = REAL(slot, libpff_item_get_identifier);
    return f ? f(item, identifier, error) : -1;
}

int libpff_item_get_number_of_record_sets(libpff_item_t *item, int *number_of_record_sets,
                                          libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_item_get_number_of_record_sets) f =
        REAL(slot, libpff_item_get_number_of_record_sets);
    return f ? f(item, number_of_record_sets, error) : -1;
}

int libpff_item_get_record_set_by_index(libpff_item_t *item, int record_set_index,
                                        libpff_record_set_t **record_set, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_item_get_record_set_by_index) f =
        REAL(slot, libpff_item_get_record_set_by_index);
    return f ? f(item, record_set_index, record_set, error) : -1;
}

int libpff_message_get_attachment(libpff_item_t *message, int attachment_index,
                                  libpff_item_t **attachment, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_message_get_attachment) f = REAL(slot, libpff_message_get_attachment);
    return f ? f(message, attachment_index, attachment, error) : -1;
}

int libpff_message_get_number_of_attachments(libpff_item_t *message, int *number_of_attachments,
                                             libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_message_get_number_of_attachments) f =
        REAL(slot, libpff_message_get_number_of_attachments);
    return f ? f(message, number_of_attachments, error) : -1;
}

int libpff_message_get_recipients(libpff_item_t *message, libpff_item_t **recipients,
                                  libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_message_get_recipients) f = REAL(slot, libpff_message_get_recipients);
    return f ? f(message, recipients, error) : -1;
}

int libpff_name_to_id_map_entry_get_guid(libpff_name_to_id_map_entry_t *name_to_id_map_entry,
                                         uint8_t *guid, size_t size, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_name_to_id_map_entry_get_guid) f =
        REAL(slot, libpff_name_to_id_map_entry_get_guid);
    return f ? f(name_to_id_map_entry, guid, size, error) : -1;
}

int libpff_name_to_id_map_entry_get_number(libpff_name_to_id_map_entry_t *name_to_id_map_entry,
                                           uint32_t *number, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_name_to_id_map_entry_get_number) f =
        REAL(slot, libpff_name_to_id_map_entry_get_number);
    return f ? f(name_to_id_map_entry, number, error) : -1;
}

int libpff_name_to_id_map_entry_get_type(libpff_name_to_id_map_entry_t *name_to_id_map_entry,
                                         uint8_t *entry_type, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_name_to_id_map_entry_get_type) f =
        REAL(slot, libpff_name_to_id_map_entry_get_type);
    return f ? f(name_to_id_map_entry, entry_type, error) : -1;
}

int libpff_name_to_id_map_entry_get_utf8_string(libpff_name_to_id_map_entry_t *name_to_id_map_entry,
                                                uint8_t *utf8_string, size_t utf8_string_size,
                                                libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_name_to_id_map_entry_get_utf8_string) f =
        REAL(slot, libpff_name_to_id_map_entry_get_utf8_string);
    return f ? f(name_to_id_map_entry, utf8_string, utf8_string_size, error) : -1;
}

int libpff_name_to_id_map_entry_get_utf8_string_size(
    libpff_name_to_id_map_entry_t *name_to_id_map_entry, size_t *utf8_string_size,
    libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_name_to_id_map_entry_get_utf8_string_size) f =
        REAL(slot, libpff_name_to_id_map_entry_get_utf8_string_size);
    return f ? f(name_to_id_map_entry, utf8_string_size, error) : -1;
}

int libpff_record_entry_free(libpff_record_entry_t **record_entry, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_entry_free) f = REAL(slot, libpff_record_entry_free);
    return f ? f(record_entry, error) : -1;
}

int libpff_record_entry_get_data(libpff_record_entry_t *record_entry, uint8_t *data,
                                 size_t data_size, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_entry_get_data) f = REAL(slot, libpff_record_entry_get_data);
    return f ? f(record_entry, data, data_size, error) : -1;
}

int libpff_record_entry_get_data_size(libpff_record_entry_t *record_entry, size_t *data_size,
                                      libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_entry_get_data_size) f =
        REAL(slot, libpff_record_entry_get_data_size);
    return f ? f(record_entry, data_size, error) : -1;
}

int libpff_record_entry_get_entry_type(libpff_record_entry_t *record_entry, uint32_t *entry_type,
                                       libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_entry_get_entry_type) f =
        REAL(slot, libpff_record_entry_get_entry_type);
    return f ? f(record_entry, entry_type, error) : -1;
}

int libpff_record_entry_get_name_to_id_map_entry(
    libpff_record_entry_t *record_entry, libpff_name_to_id_map_entry_t **name_to_id_map_entry,
    libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_entry_get_name_to_id_map_entry) f =
        REAL(slot, libpff_record_entry_get_name_to_id_map_entry);
    return f ? f(record_entry, name_to_id_map_entry, error) : -1;
}

int libpff_record_entry_get_value_type(libpff_record_entry_t *record_entry, uint32_t *value_type,
                                       libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_entry_get_value_type) f =
        REAL(slot, libpff_record_entry_get_value_type);
    return f ? f(record_entry, value_type, error) : -1;
}

int libpff_record_set_free(libpff_record_set_t **record_set, libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_set_free) f = REAL(slot, libpff_record_set_free);
    return f ? f(record_set, error) : -1;
}

int libpff_record_set_get_entry_by_index(libpff_record_set_t *record_set, int record_entry_index,
                                         libpff_record_entry_t **record_entry,
                                         libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_set_get_entry_by_index) f =
        REAL(slot, libpff_record_set_get_entry_by_index);
    return f ? f(record_set, record_entry_index, record_entry, error) : -1;
}

int libpff_record_set_get_number_of_entries(libpff_record_set_t *record_set, int *number_of_entries,
                                            libpff_error_t **error)
{
    static cck_lazyfn slot;
    __typeof__(&libpff_record_set_get_number_of_entries) f =
        REAL(slot, libpff_record_set_get_number_of_entries);
    return f ? f(record_set, number_of_entries, error) : -1;
}

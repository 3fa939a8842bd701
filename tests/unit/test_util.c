/* test_util.c - the util layer: bounded cursor, arena ceiling, problem list
 * limit, emitter escaping in both renderings, UTF-16 and code-page
 * conversion, FILETIME and minute dates, hex decoding, whole-file input
 * (copied or mapped, and a file truncated while mapped). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "util/arena.h"
#include "util/cursor.h"
#include "util/emit.h"
#include "util/file.h"
#include "util/problems.h"
#include "util/text.h"
#include "util/time.h"

static void test_cursor_reads_le_and_sticks_at_end(void)
{
    const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
    cck_cur c;
    cck_cur_init(&c, b, sizeof b);
    CHECK_EQ_INT(cck_cur_u16(&c), 0x0201);
    CHECK_EQ_INT(cck_cur_u32(&c), 0x06050403);
    CHECK(cck_cur_ok(&c));
    CHECK_EQ_INT(cck_cur_left(&c), 1);
    CHECK_EQ_INT(cck_cur_u16(&c), 0); /* only one byte left */
    CHECK(!cck_cur_ok(&c));
    CHECK_EQ_INT(cck_cur_left(&c), 0);
    CHECK_EQ_INT(cck_cur_u8(&c), 0); /* sticky */
    CHECK(cck_cur_bytes(&c, 0) == NULL);
}

static void test_cursor_huge_skip_does_not_wrap(void)
{
    const uint8_t b[4] = {0};
    cck_cur c;
    cck_cur_init(&c, b, sizeof b);
    cck_cur_u8(&c);
    cck_cur_skip(&c, SIZE_MAX);
    CHECK(!cck_cur_ok(&c));
    CHECK_EQ_INT(c.pos, 4);
}

static void test_arena_ceiling(void)
{
    cck_arena *a = cck_arena_new(1000);
    CHECK(cck_arena_alloc(a, 600) != NULL);
    CHECK(cck_arena_alloc(a, 600) == NULL); /* past the ceiling */
    CHECK(cck_arena_calloc(a, SIZE_MAX / 2, 4) == NULL);
    cck_arena_reset(a);
    unsigned char *p = cck_arena_alloc(a, 900);
    CHECK(p != NULL);
    CHECK(p && p[0] == 0 && p[899] == 0);
    char *s = cck_arena_printf(a, "%d-%s", 42, "x");
    CHECK(s == NULL || strcmp(s, "42-x") == 0);
    cck_arena_free(a);
}

static void test_problems_are_bounded(void)
{
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_problems p;
    cck_problems_init(&p, a);
    for (int i = 0; i < CCK_PROBLEMS_MAX + 10; i++)
        cck_problems_add(&p, CCK_SEV_ERROR, "t.x", (uint64_t)i, "problem %d", i);
    CHECK_EQ_INT(p.n, CCK_PROBLEMS_MAX);
    CHECK_EQ_INT(p.dropped, 10);
    CHECK_EQ_STR(p.v[3].text, "problem 3");
    CHECK(cck_problems_find(&p, "t.x") == &p.v[0]);
    CHECK(cck_problems_find(&p, "t.y") == NULL);
    cck_arena_free(a);
}

/* Renders a small document and returns it (caller frees). */
static char *render(cck_emit_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cck_emit *e = cck_emit_new(f, fmt);
    cck_emit_begin_obj(e, NULL);
    cck_emit_str(e, "Subject", "a\"b\\c\nd");
    cck_emit_strn(e, "Bad", "x\xff\x01y", 4);
    cck_emit_hex_note(e, "RecurFrequency", 0x200B, 4, "Weekly");
    cck_emit_begin_arr(e, "Dates");
    cck_emit_uint(e, NULL, 1);
    cck_emit_uint(e, NULL, 2);
    cck_emit_end_arr(e);
    cck_emit_begin_obj(e, "Empty");
    cck_emit_end_obj(e);
    cck_emit_bytes(e, "Data", (const uint8_t *)"\x01\xAB", 2);
    cck_emit_double(e, "Nan", 0.0 / 0.0);
    CHECK(cck_emit_finish(e) == 0);
    fclose(f);
    return buf;
}

static void test_emit_json_is_well_formed_and_escaped(void)
{
    char *s = render(CCK_EMIT_JSON);
    CHECK(strstr(s, "\"Subject\": \"a\\\"b\\\\c\\nd\"") != NULL);
    CHECK(strstr(s, "\"Bad\": \"x\\ufffd\\u0001y\"") != NULL);
    CHECK(strstr(s, "\"RecurFrequency\": 8203") != NULL);
    CHECK(strstr(s, "\"Dates\": [\n    1,\n    2\n  ]") != NULL);
    CHECK(strstr(s, "\"Empty\": {}") != NULL);
    CHECK(strstr(s, "\"Data\": \"01AB\"") != NULL);
    CHECK(strstr(s, "\"Nan\": null") != NULL);
    CHECK(s[0] == '{' && s[strlen(s) - 2] == '}');
    free(s);
}

static void test_emit_text_keeps_one_value_per_line(void)
{
    char *s = render(CCK_EMIT_TEXT);
    CHECK(strstr(s, "Subject: \"a\\\"b\\\\c\\nd\"\n") != NULL);
    CHECK(strstr(s, "Bad: \"x\\xFF\\x01y\"\n") != NULL);
    CHECK(strstr(s, "RecurFrequency: 0x200B (Weekly)\n") != NULL);
    CHECK(strstr(s, "Dates:\n  [0]: 1\n  [1]: 2\n") != NULL);
    CHECK(strstr(s, "Data: cb: 2 lpb: 01AB\n") != NULL);
    free(s);
}

static void test_emit_depth_is_bounded(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cck_emit *e = cck_emit_new(f, CCK_EMIT_JSON);
    for (int i = 0; i < CCK_EMIT_MAX_DEPTH + 20; i++)
        cck_emit_begin_arr(e, NULL);
    cck_emit_int(e, NULL, 7);
    CHECK(cck_emit_finish(e) == 0); /* closes everything it opened */
    fclose(f);
    CHECK(strstr(buf, "(nested too deeply)") != NULL);
    int open = 0, close = 0;
    for (char *p = buf; *p; p++) {
        open += *p == '[';
        close += *p == ']';
    }
    CHECK_EQ_INT(open, close);
    free(buf);
}

static void test_utf16_with_surrogates_and_garbage(void)
{
    cck_arena *a = cck_arena_new(1 << 20);
    /* "A", U+1F600 as a pair, a lone high surrogate, "z", then an odd byte. */
    const uint8_t in[] = {'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0x3D, 0xD8, 'z', 0, 0x41};
    cck_str s;
    CHECK(cck_utf16le_to_utf8(a, in, sizeof in, &s) == 0);
    CHECK_EQ_STR(s.s, "A\xF0\x9F\x98\x80\xEF\xBF\xBDz\xEF\xBF\xBD");
    CHECK_EQ_INT(s.bad, 2);
    cck_arena_free(a);
}

static void test_codepages(void)
{
    cck_arena *a = cck_arena_new(1 << 20);
    cck_str s;
    CHECK(cck_cp_to_utf8(a, 1252, (const uint8_t *)"\x80\xE9\x81", 3, &s) == 0);
    CHECK_EQ_STR(s.s, "\xE2\x82\xAC\xC3\xA9\xEF\xBF\xBD"); /* euro, e-acute, unassigned */
    CHECK_EQ_INT(s.bad, 1);
    /* Shift-JIS (932) "日本" through iconv. */
    CHECK(cck_cp_to_utf8(a, 932, (const uint8_t *)"\x93\xFA\x96\x7B", 4, &s) == 0);
    CHECK_EQ_STR(s.s, "\xE6\x97\xA5\xE6\x9C\xAC");
    CHECK(cck_cp_to_utf8(a, 65001, (const uint8_t *)"ok\xC3", 3, &s) == 0);
    CHECK_EQ_STR(s.s, "ok\xEF\xBF\xBD");
    CHECK_EQ_INT(cck_utf8_invalid((const uint8_t *)"\xED\xA0\x80", 3), 3); /* surrogate */
    cck_arena_free(a);
}

static void test_times(void)
{
    char buf[CCK_TIME_BUF];
    CHECK_EQ_STR(cck_fmt_filetime(0, buf), "1601-01-01T00:00:00Z");
    /* 2023-01-09T03:00:00Z = Unix 1673233200. */
    uint64_t ft = (uint64_t)(1673233200LL + CCK_EPOCH_DIFF_1601) * 10000000u;
    CHECK_EQ_STR(cck_fmt_filetime(ft, buf), "2023-01-09T03:00:00Z");
    CHECK_EQ_INT(cck_filetime_to_unix(ft), 1673233200LL);
    /* Minute dates from [MS-OXOCAL] recurrence blobs: 221957280 = 2023-01-06. */
    CHECK_EQ_STR(cck_fmt_minutes(221957280u, buf), "2023-01-06T00:00");
    /* The "no end" sentinel 0x5AE980DF is 31-Dec-4500 23:59. */
    CHECK_EQ_STR(cck_fmt_minutes(0x5AE980DFu, buf), "4500-12-31T23:59");
    CHECK_EQ_STR(cck_fmt_filetime(UINT64_MAX, buf), "60056-05-28T05:36:10Z");
    CHECK_EQ_INT(cck_days1601_from_civil(1601, 1, 1), 0);
    CHECK_EQ_INT(cck_days1601_from_civil(1601, 12, 31), 364);
    cck_civil c;
    cck_civil_from_secs1601(0, &c);
    CHECK_EQ_INT(c.weekday, 1); /* 1601-01-01 was a Monday */
}

static void test_hex_decode(void)
{
    uint8_t out[8];
    CHECK_EQ_INT(cck_hex_decode((const uint8_t *)"04 30\n0a", 8, out), 3);
    CHECK(out[0] == 0x04 && out[1] == 0x30 && out[2] == 0x0A);
    CHECK_EQ_INT(cck_hex_decode((const uint8_t *)"043", 3, out), -1);
    CHECK_EQ_INT(cck_hex_decode((const uint8_t *)"0x04", 4, out), -1);
}

/* Writes n bytes of a repeating pattern to a new temporary file. */
static int temp_file(char *path, size_t n)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    static uint8_t block[4096];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (uint8_t)(i * 7);
    for (size_t off = 0; off < n; off += sizeof block) {
        size_t k = n - off < sizeof block ? n - off : sizeof block;
        if (write(fd, block, k) != (ssize_t)k)
            return -1;
    }
    return fd;
}

static void test_file_read_copied_and_mapped(void)
{
    /* below the mapping size the file is copied, above it mapped: same bytes */
    size_t sizes[] = {10, CCK_FILE_MAP_MIN - 1, CCK_FILE_MAP_MIN, CCK_FILE_MAP_MIN + 4097};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char path[] = "/tmp/cck-file-XXXXXX";
        int fd = temp_file(path, sizes[i]);
        CHECK(fd >= 0);
        cck_file f;
        const char *why = NULL;
        CHECK_EQ_INT(cck_file_read(path, CCK_FILE_MAX, &f, &why), 0);
        CHECK_EQ_INT(f.len, sizes[i]);
        CHECK_EQ_INT(f.mapped != 0, sizes[i] >= CCK_FILE_MAP_MIN);
        CHECK(f.len == sizes[i] && f.data[0] == 0 && f.data[1] == 7 &&
              f.data[f.len - 1] == (uint8_t)(((f.len - 1) % 4096) * 7));
        cck_file_release(&f);
        CHECK(f.data == NULL && f.len == 0);
        /* the limit holds for mapped files too */
        CHECK_EQ_INT(cck_file_read(path, sizes[i] - 1, &f, &why), -1);
        CHECK_EQ_STR(why, "file too large");
        close(fd);
        unlink(path);
    }
}

/* A mapped file truncated by another program: the read past its new end
 * ends the process with status 2 and a message naming the file, not SIGBUS. */
static void test_file_truncated_while_mapped(void)
{
    char path[] = "/tmp/cck-file-XXXXXX";
    int fd = temp_file(path, 2 * CCK_FILE_MAP_MIN);
    CHECK(fd >= 0);
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 2);
        cck_file f;
        const char *why;
        if (cck_file_read(path, CCK_FILE_MAX, &f, &why) != 0)
            _exit(3);
        if (ftruncate(fd, 0) != 0)
            _exit(4);
        volatile uint8_t x = f.data[f.len - 1];
        (void)x;
        _exit(0); /* not reached: the page is gone */
    }
    close(pipefd[1]);
    char msg[2048] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof msg - 1 && (r = read(pipefd[0], msg + got, sizeof msg - 1 - got)) > 0)
        got += (size_t)r;
    close(pipefd[0]);
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    CHECK(strstr(msg, path) != NULL);
    CHECK(strstr(msg, "the file shrank while it was being read") != NULL);
    close(fd);
    unlink(path);
}

int main(void)
{
    RUN(test_cursor_reads_le_and_sticks_at_end);
    RUN(test_cursor_huge_skip_does_not_wrap);
    RUN(test_arena_ceiling);
    RUN(test_problems_are_bounded);
    RUN(test_emit_json_is_well_formed_and_escaped);
    RUN(test_emit_text_keeps_one_value_per_line);
    RUN(test_emit_depth_is_bounded);
    RUN(test_utf16_with_surrogates_and_garbage);
    RUN(test_codepages);
    RUN(test_times);
    RUN(test_hex_decode);
    RUN(test_file_read_copied_and_mapped);
    RUN(test_file_truncated_while_mapped);
    return unit_done();
}

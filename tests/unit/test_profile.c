/* test_profile.c - connection profiles (src/profile.h): sections and keys,
 * defaults, errors naming file and line, the mailbox address mapping of -R,
 * and secrets from the environment, a file and a command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"
#include "unit.h"

static const char text[] = "# calcheck profiles\n"
                           "[prod]\n"
                           "kind = caldav\n"
                           "url = https://dav.example.org/\n"
                           "user = admin\n"
                           "password_env = PROD_PW\n"
                           "  tls_verify = false  \n"
                           "timeout = 30\n"
                           "smtp_host = 127.0.0.1\n"
                           "smtp_port = 2525\n"
                           "smtp_starttls = false\n"
                           "smtp_user = mailer\n"
                           "smtp_password_file = smtp.pw\n"
                           "mail_from = calcheck@example.org\n"
                           "mail_domain = example.org\n"
                           "address.u01 = first.user@example.org\n"
                           "\n"
                           "; the exports\n"
                           "[exports]\n"
                           "kind = folder\n"
                           "url = /srv/exports\n";

static void test_named_section(void)
{
    char err[512] = "";
    cck_profile *p = cck_profile_parse(text, sizeof text - 1, "/etc/p", "prod", err, sizeof err);
    CHECK(p != NULL);
    if (!p) {
        printf("#   %s\n", err);
        return;
    }
    CHECK_EQ_STR(p->name, "prod");
    CHECK_EQ_STR(p->path, "/etc/p");
    CHECK_EQ_INT(p->kind, CCK_PROFILE_CALDAV);
    CHECK_EQ_STR(p->url, "https://dav.example.org/");
    CHECK_EQ_STR(p->user, "admin");
    CHECK_EQ_STR(p->secret.env, "PROD_PW");
    CHECK(p->secret.file == NULL && p->secret.command == NULL);
    CHECK(!p->tls_verify);
    CHECK_EQ_INT(p->timeout, 30);
    CHECK_EQ_INT(p->connect_timeout, 10);
    CHECK_EQ_STR(p->smtp_host, "127.0.0.1");
    CHECK_EQ_INT(p->smtp_port, 2525);
    CHECK(!p->smtp_starttls);
    CHECK_EQ_STR(p->smtp_user, "mailer");
    CHECK_EQ_STR(p->smtp_secret.file, "smtp.pw");
    CHECK_EQ_STR(p->mail_from, "calcheck@example.org");
    CHECK_EQ_INT(p->n_addresses, 1);
    char a[256];
    CHECK_EQ_INT(cck_profile_address(p, "u01", a, sizeof a), 0);
    CHECK_EQ_STR(a, "first.user@example.org");
    CHECK_EQ_INT(cck_profile_address(p, "u02", a, sizeof a), 0);
    CHECK_EQ_STR(a, "u02@example.org");
    CHECK_EQ_INT(cck_profile_address(p, "x@y.example", a, sizeof a), 0);
    CHECK_EQ_STR(a, "x@y.example");
    cck_profile_free(p);

    p = cck_profile_parse(text, sizeof text - 1, "/etc/p", "exports", err, sizeof err);
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_INT(p->kind, CCK_PROFILE_FOLDER);
        CHECK(p->tls_verify); /* the default */
        CHECK_EQ_INT(p->timeout, 120);
        CHECK(p->user == NULL);
        CHECK_EQ_INT(cck_profile_address(p, "u02", a, sizeof a), -1);
        cck_profile_free(p);
    }
}

/* Parses and expects failure with exactly this message. */
static void expect_error(const char *t, const char *name, const char *want)
{
    char err[512] = "";
    cck_profile *p = cck_profile_parse(t, strlen(t), "prof", name, err, sizeof err);
    CHECK(p == NULL);
    cck_profile_free(p);
    CHECK_EQ_STR(err, want);
}

static void test_errors_name_file_and_line(void)
{
    expect_error("[a]\nurl = x\nusr = admin\n", "a",
                 "prof:3: unknown key (see calcheck(1), PROFILES): 'usr'");
    expect_error("[a]\nuser = x\nuser = y\n", "a",
                 "prof:3: this key is already set in this profile: 'user'");
    expect_error("[a]\ntls_verify = maybe\n", "a", "prof:2: expected true or false: 'tls_verify'");
    expect_error("[a]\ntimeout = -3\n", "a",
                 "prof:2: expected a number from 1 to 999999: 'timeout'");
    expect_error("[a]\nkind = ews\n", "a", "prof:2: kind is caldav or folder: 'kind'");
    expect_error("[a]\njust words\n", "a",
                 "prof:2: expected 'key = value' or '[name]': 'just words'");
    expect_error("[a\n", "a", "prof:1: a section is [name]: '[a'");
    expect_error("[a]\n[b]\nfrobnicate = 1\n", "a",
                 "prof:3: unknown key (see calcheck(1), PROFILES): 'frobnicate'");
    expect_error("[a]\nurl = x\n", "b",
                 "prof: no profile [b] (profiles: run 'calcheck -P' on a terminal, or look at "
                 "the file)");
    expect_error("[a]\n[b]\n", NULL,
                 "prof holds 2 profiles: keep one per file named by path, or name one from the "
                 "default file with -P NAME");
    expect_error("[a]\npassword_env = X\npassword_file = f\n", "a",
                 "prof: profile [a]: give one of password_env, password_file, password_command");
    expect_error("[a]\n[a]\n", "a", "prof:2: profile [a] is defined twice");
    expect_error("url = x\n[a]\n", "a",
                 "prof: keys before the first [name]: put them in a profile");
}

static void test_single_profile_file(void)
{
    char err[512] = "";
    const char *t = "kind = caldav\nurl = http://127.0.0.1:5232/\n";
    cck_profile *p = cck_profile_parse(t, strlen(t), "one", NULL, err, sizeof err);
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_STR(p->name, "");
        CHECK_EQ_STR(p->url, "http://127.0.0.1:5232/");
        cck_profile_free(p);
    }
    t = "[only]\nuser = u\n";
    p = cck_profile_parse(t, strlen(t), "one", NULL, err, sizeof err);
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_STR(p->name, "only");
        CHECK_EQ_STR(p->user, "u");
        cck_profile_free(p);
    }
}

static void test_secrets(void)
{
    char dir[] = "/tmp/cck_profile_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], buf[128], err[512];
    snprintf(path, sizeof path, "%s/pw", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("s3cret file\r\nsecond line\n", f);
        fclose(f);
    }
    cck_secret_src s = {0};
    CHECK_EQ_INT(cck_secret_read(&s, NULL, buf, sizeof buf, err, sizeof err), 0);
    s.file = "pw";
    CHECK_EQ_INT(cck_secret_read(&s, dir, buf, sizeof buf, err, sizeof err), 1);
    CHECK_EQ_STR(buf, "s3cret file");
    s.file = "missing";
    CHECK_EQ_INT(cck_secret_read(&s, dir, buf, sizeof buf, err, sizeof err), -1);
    CHECK(strstr(err, "/missing: No such file or directory") != NULL);

    s.file = NULL;
    s.env = "CCK_TEST_PW";
    unsetenv("CCK_TEST_PW");
    CHECK_EQ_INT(cck_secret_read(&s, NULL, buf, sizeof buf, err, sizeof err), -1);
    CHECK_EQ_STR(err, "the environment variable CCK_TEST_PW (password_env) is not set");
    setenv("CCK_TEST_PW", "from env", 1);
    CHECK_EQ_INT(cck_secret_read(&s, NULL, buf, sizeof buf, err, sizeof err), 1);
    CHECK_EQ_STR(buf, "from env");

    s.env = NULL;
    s.command = "printf 'from command\\nignored\\n'";
    CHECK_EQ_INT(cck_secret_read(&s, NULL, buf, sizeof buf, err, sizeof err), 1);
    CHECK_EQ_STR(buf, "from command");
    s.command = "echo leaked; exit 3";
    CHECK_EQ_INT(cck_secret_read(&s, NULL, buf, sizeof buf, err, sizeof err), -1);
    CHECK_EQ_STR(err, "password_command failed (exit status 3)");
    CHECK_EQ_STR(buf, ""); /* what a failed command printed is not kept */

    /* The login: profile user and secret, else CALCHECK_USERNAME / _PASSWORD. */
    char user[64], pass[64];
    setenv("CALCHECK_USERNAME", "env-user", 1);
    setenv("CALCHECK_PASSWORD", "env-pass", 1);
    CHECK_EQ_INT(cck_profile_login(NULL, user, sizeof user, pass, sizeof pass, err, sizeof err), 0);
    CHECK_EQ_STR(user, "env-user");
    CHECK_EQ_STR(pass, "env-pass");
    char ptext[512];
    snprintf(ptext, sizeof ptext, "[x]\nuser = admin\npassword_file = pw\n");
    snprintf(path, sizeof path, "%s/profiles", dir);
    cck_profile *p = cck_profile_parse(ptext, strlen(ptext), path, "x", err, sizeof err);
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_INT(cck_profile_login(p, user, sizeof user, pass, sizeof pass, err, sizeof err),
                     0);
        CHECK_EQ_STR(user, "admin");
        CHECK_EQ_STR(pass, "s3cret file"); /* relative to the profile file's folder */
        cck_profile_free(p);
    }
    unsetenv("CALCHECK_USERNAME");
    unsetenv("CALCHECK_PASSWORD");
    snprintf(path, sizeof path, "%s/pw", dir);
    unlink(path);
    rmdir(dir);
}

static void test_load_default_path(void)
{
    char dir[] = "/tmp/cck_profile_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p1[256], p2[256], err[512];
    snprintf(p1, sizeof p1, "%s/calcheck", dir);
    mkdir(p1, 0700);
    snprintf(p2, sizeof p2, "%s/calcheck/profiles", dir);
    FILE *f = fopen(p2, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    setenv("XDG_CONFIG_HOME", dir, 1);
    char path[512];
    CHECK_EQ_INT(cck_profile_default_path(path, sizeof path), 0);
    CHECK_EQ_STR(path, p2);
    cck_profile *p = cck_profile_load("exports", err, sizeof err);
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_STR(p->url, "/srv/exports");
        cck_profile_free(p);
    }
    char names[256];
    CHECK_EQ_INT(cck_profile_names(p2, names, sizeof names), 2);
    CHECK_EQ_STR(names, "prod\nexports\n");
    p = cck_profile_load(p2, err, sizeof err); /* by path: two profiles, none named */
    CHECK(p == NULL);
    unsetenv("XDG_CONFIG_HOME");
    unlink(p2);
    rmdir(p1);
    rmdir(dir);
}

int main(void)
{
    RUN(test_named_section);
    RUN(test_errors_name_file_and_line);
    RUN(test_single_profile_file);
    RUN(test_secrets);
    RUN(test_load_default_path);
    return unit_done();
}

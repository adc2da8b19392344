/* test-secrets.c: account passwords in the real Secret Service.
 * The keyring cases need an unlocked gnome-keyring on the session bus
 * (tests/run-all.sh starts one) and skip without it; the error cases run
 * everywhere.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store-error.h"
#include "hail-store-private.h"
#include "hail-store-secrets.h"

#include "hail-test-util.h"
#include "store-test-helpers.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SCANNED_FILES 100000
#define MAX_SCANNED_SIZE  (64 * 1024 * 1024)

/* The session's own folders, captured before G_TEST_OPTION_ISOLATE_DIRS
 * replaces them: the keyring daemon writes there. */
static char *session_home;
static char *session_runtime_dir;

static gboolean
keyring_available (void)
{
  if (hail_test_secret_service_running ())
    return TRUE;
  g_test_skip ("org.freedesktop.secrets has no owner on the session bus: start "
               "gnome-keyring-daemon --unlock --components=secrets (tests/run-all.sh does)");
  return FALSE;
}

static char *
unique_account (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("sip:test-%s@example.test", uuid);
}

static char *
random_password (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  /* Non-ASCII too: passwords are UTF-8, not bytes in some locale. */
  return g_strdup_printf ("pw-%s-ünïcødé", uuid);
}

static gboolean
store_password (const char  *account,
                const char  *password,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_secrets_store_async (account, "alice", password, NULL, store_test_result_cb,
                                  &result);
  return hail_store_secrets_store_finish (store_test_wait (&result), error);
}

static char *
lookup_password (const char  *account,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_secrets_lookup_async (account, "alice", NULL, store_test_result_cb, &result);
  return hail_store_secrets_lookup_finish (store_test_wait (&result), error);
}

static gboolean
clear_password (const char  *account,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_secrets_clear_async (account, "alice", NULL, store_test_result_cb, &result);
  return hail_store_secrets_clear_finish (store_test_wait (&result), error);
}

static void
test_store_lookup_clear (void)
{
  g_autofree char *account = unique_account ();
  g_autofree char *first = random_password ();
  g_autofree char *second = random_password ();
  g_autoptr(GError) error = NULL;
  char *found;

  if (!keyring_available ())
    return;

  g_assert_true (store_password (account, first, &error));
  g_assert_no_error (error);
  found = lookup_password (account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, first);
  hail_store_secrets_password_free (found);

  /* Storing again replaces: one item per account and user. */
  g_assert_true (store_password (account, second, &error));
  found = lookup_password (account, &error);
  g_assert_cmpstr (found, ==, second);
  hail_store_secrets_password_free (found);

  g_assert_true (clear_password (account, &error));
  g_assert_no_error (error);
  found = lookup_password (account, &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Clearing what is not there is not an error. */
  g_assert_true (clear_password (account, &error));
  g_assert_no_error (error);
}

static void
test_other_user_is_another_secret (void)
{
  g_autofree char *account = unique_account ();
  g_autofree char *password = random_password ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  char *found;

  if (!keyring_available ())
    return;

  g_assert_true (store_password (account, password, &error));
  hail_store_secrets_lookup_async (account, "bob", NULL, store_test_result_cb, &result);
  found = hail_store_secrets_lookup_finish (store_test_wait (&result), &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  g_assert_true (clear_password (account, NULL));
}

static void
test_lookup_sync (void)
{
  g_autofree char *account = unique_account ();
  g_autofree char *password = random_password ();
  g_autoptr(GError) error = NULL;
  char *found;

  if (!keyring_available ())
    return;

  g_assert_true (store_password (account, password, &error));
  found = hail_store_secrets_lookup_sync (account, "alice", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, password);
  hail_store_secrets_password_free (found);
  g_assert_true (clear_password (account, &error));
  found = hail_store_secrets_lookup_sync (account, "alice", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

static void
test_missing_entry (void)
{
  g_autofree char *account = unique_account ();
  g_autoptr(GError) error = NULL;
  char *found;

  if (!keyring_available ())
    return;

  found = lookup_password (account, &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  /* The error names the account, never a password. */
  g_assert_nonnull (strstr (error->message, account));
}

static gboolean
bytes_contain (const char *data,
               gsize       len,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Reads every regular file below @dir (bounded) looking for @needle. */
static gboolean
tree_contains (const char *dir,
               const char *needle,
               guint      *scanned)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL && *scanned < MAX_SCANNED_FILES)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (tree_contains (path, needle, scanned))
            return TRUE;
        }
      else if (S_ISREG (st.st_mode) && st.st_size <= MAX_SCANNED_SIZE)
        {
          g_autofree char *contents = NULL;
          gsize len = 0;

          (*scanned)++;
          if (g_file_get_contents (path, &contents, &len, NULL) &&
              bytes_contain (contents, len, needle))
            {
              g_test_message ("password found in %s", path);
              return TRUE;
            }
        }
    }
  return FALSE;
}

static void
test_password_in_no_file (void)
{
  g_autofree char *account = unique_account ();
  g_autofree char *password = random_password ();
  g_autoptr(GError) error = NULL;
  guint scanned = 0;

  if (!keyring_available ())
    return;

  g_assert_true (store_password (account, password, &error));
  g_assert_no_error (error);
  g_assert_false (tree_contains (session_home, password, &scanned));
  if (session_runtime_dir != NULL)
    g_assert_false (tree_contains (session_runtime_dir, password, &scanned));
  g_test_message ("scanned %u files", scanned);
  g_assert_true (clear_password (account, NULL));
}

/* The negative control of password-in-no-file: a planted copy inside
 * binary data in a sub-folder is found. */
static void
test_scan_finds_planted (void)
{
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *sub = g_build_filename (dir, "keyrings", NULL);
  g_autofree char *file = g_build_filename (sub, "dump.bin", NULL);
  const char data[] = "\0\x01binary\0pw-planted-secret\0tail";
  guint scanned = 0;

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, data, sizeof data, NULL));
  g_assert_false (tree_contains (dir, "pw-not-there", &scanned));
  g_assert_true (tree_contains (dir, "pw-planted-secret", &scanned));
  g_assert_cmpuint (scanned, ==, 2);
  store_test_rmdir (dir);
}

static void
test_no_session_bus (void)
{
  g_autoptr(GError) error = NULL;
  char *found;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* A fresh process, so no bus connection is cached yet. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hail-test-bus", TRUE);
  g_assert_false (store_password ("sip:a@example.test", "not-stored", &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE);
  g_assert_null (strstr (error->message, "not-stored"));
  g_clear_error (&error);

  found = lookup_password ("sip:a@example.test", &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);

  found = hail_store_secrets_lookup_sync ("sip:a@example.test", "alice", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);

  g_assert_false (clear_password ("sip:a@example.test", &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE);
}

/* Locks the default collection of the keyring on the session bus. */
static void
lock_default_collection (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GVariant) locked = NULL;
  g_autoptr(GError) error = NULL;
  const char *collection = NULL;

  g_assert_nonnull (bus);
  alias = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (alias, "(&o)", &collection);
  locked = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                        "org.freedesktop.Secret.Service", "Lock",
                                        g_variant_new_parsed ("([%o],)", collection),
                                        G_VARIANT_TYPE ("(aoo)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                        NULL, &error);
  g_assert_no_error (error);
}

/* Only in the private keyring that test-secrets-locked.sh starts: locking
 * the session's shared keyring would break every later test. The prompt
 * to unlock cannot be shown there (no display), so it fails at once. */
static void
test_locked_keyring (void)
{
  g_autofree char *account = unique_account ();
  g_autofree char *password = random_password ();
  g_autoptr(GError) error = NULL;
  char *found;

  if (g_strcmp0 (g_getenv ("HAIL_TEST_PRIVATE_KEYRING"), "1") != 0)
    {
      g_test_skip ("needs the private keyring of test-secrets-locked.sh");
      return;
    }
  if (!keyring_available ())
    return;

  g_assert_true (store_password (account, password, &error));
  g_assert_no_error (error);
  lock_default_collection ();

  g_assert_false (store_password (account, "pw-while-locked", &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING);
  g_test_message ("store: %s", error->message);
  g_clear_error (&error);

  /* libsecret finds nothing and says nothing: the store must say "locked",
   * not "no password", or the UI would ask for a new one. */
  found = lookup_password (account, &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING);
  g_test_message ("lookup: %s", error->message);
  g_clear_error (&error);

  found = hail_store_secrets_lookup_sync (account, "alice", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING);
  g_clear_error (&error);

  g_assert_false (clear_password (account, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING);
  g_test_message ("clear: %s", error->message);
}

static void
test_error_mapping (void)
{
  struct {
    GError *from;
    GQuark  domain;
    int     code;
  } cases[] = {
    { g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                           "Cannot create an item in a locked collection"),
      HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING },
    { g_dbus_error_new_for_dbus_error ("org.freedesktop.Secret.Error.IsLocked", "locked"),
      HAIL_STORE_ERROR, HAIL_STORE_ERROR_LOCKED_KEYRING },
    { g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                           "The name org.freedesktop.secrets was not provided"),
      HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE },
    { g_dbus_error_new_for_dbus_error ("org.freedesktop.DBus.Error.NameHasNoOwner", "gone"),
      HAIL_STORE_ERROR, HAIL_STORE_ERROR_NO_SECRET_SERVICE },
    { g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"),
      G_IO_ERROR, G_IO_ERROR_CANCELLED },
    { g_error_new_literal (SECRET_ERROR, SECRET_ERROR_PROTOCOL, "bad reply"),
      HAIL_STORE_ERROR, HAIL_STORE_ERROR_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) mapped = _hail_store_secrets_map_error (cases[i].from);

      g_assert_error (mapped, cases[i].domain, cases[i].code);
      g_error_free (cases[i].from);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  session_home = g_strdup (g_get_home_dir ());
  session_runtime_dir = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/secrets/keyring/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/store/secrets/keyring/other-user-is-another-secret",
                   test_other_user_is_another_secret);
  g_test_add_func ("/store/secrets/keyring/lookup-sync", test_lookup_sync);
  g_test_add_func ("/store/secrets/keyring/missing-entry", test_missing_entry);
  g_test_add_func ("/store/secrets/keyring/password-in-no-file", test_password_in_no_file);
  g_test_add_func ("/store/secrets/errors/no-session-bus", test_no_session_bus);
  g_test_add_func ("/store/secrets/errors/mapping", test_error_mapping);
  g_test_add_func ("/store/secrets/locked/store-lookup-clear", test_locked_keyring);
  g_test_add_func ("/store/secrets/errors/scan-finds-planted", test_scan_finds_planted);

  status = g_test_run ();
  g_free (session_home);
  g_free (session_runtime_dir);
  return status;
}

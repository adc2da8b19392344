/* hail-test-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

static gboolean
deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
hail_test_wait_until (GSourceFunc cond,
                      gpointer    data,
                      guint       timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, deadline_cb, &expired);
  gboolean done;

  while (!(done = cond (data)) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return done;
}

typedef struct {
  GPtrArray *array;
  guint      count;
} CountWait;

static gboolean
count_reached_cb (gpointer data)
{
  CountWait *wait = data;

  return wait->array->len >= wait->count;
}

gboolean
hail_test_wait_count (GPtrArray *array,
                      guint      count,
                      guint      timeout_ms)
{
  CountWait wait = { array, count };

  return hail_test_wait_until (count_reached_cb, &wait, timeout_ms);
}

char *
hail_test_make_certificates (const char *tmpl)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "sip", "gen-test-certs.sh", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (tmpl, &error);
  const char *argv[] = { "/bin/sh", script, dir, NULL };
  int status = 0;

  if (dir == NULL)
    g_error ("cannot make a directory for test certificates: %s", error->message);
  /* Test set-up, not library code: waiting for the script is fine here. */
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("gen-test-certs.sh: %s", error->message);
  return g_steal_pointer (&dir);
}

void
hail_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        hail_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

gboolean
hail_test_sip_is_request (GBytes     *bytes,
                          const char *method)
{
  gsize len, n = strlen (method);
  const char *data = g_bytes_get_data (bytes, &len);

  return len > n && memcmp (data, method, n) == 0 && data[n] == ' ';
}

GBytes *
hail_test_load_data (const char *relpath)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, relpath, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("cannot read test data %s: %s", path, error->message);
  return g_bytes_new_take (contents, len);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
hail_test_list_dir (const char *reldir)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, reldir, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    g_error ("cannot list test data %s: %s", path, error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = g_build_filename (path, name, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

gboolean
hail_test_secret_service_running (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus != NULL)
    reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus", "NameHasOwner",
                                         g_variant_new ("(s)", "org.freedesktop.secrets"),
                                         G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                         NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

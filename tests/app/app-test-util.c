/* app-test-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "app-test-util.h"

static gboolean
has_display (void)
{
  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    return TRUE;
  g_print ("1..0 # SKIP no display: run under xvfb-run\n");
  return FALSE;
}

gboolean
app_test_init (int    *argc,
               char ***argv)
{
  if (!has_display ())
    return FALSE;
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  return TRUE;
}

char *
app_test_init_homes (int         *argc,
                     char      ***argv,
                     const char  *tmpl)
{
  static const char *vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                "XDG_STATE_HOME" };
  g_autofree char *tmp = NULL;

  if (!has_display ())
    return NULL;
  /* Without a session bus GTK cannot reach the a11y bus and aborts. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);
  /* GLib caches these on first use: set them before GTK starts. */
  tmp = g_dir_make_tmp (tmpl, NULL);
  g_assert_nonnull (tmp);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (tmp, vars[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (vars[i], dir, TRUE);
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  return g_steal_pointer (&tmp);
}

GtkWidget *
app_test_find_widget (GtkWidget *root,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = app_test_find_widget (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
app_test_shown_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}
